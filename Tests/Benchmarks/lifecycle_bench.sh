#!/usr/bin/env bash
# Lifecycle commands at scale (issue 17, item 3) on a large generated tree rendered
# into tmpfs: one message approved, marked sent, marked failed, retried, withdrawn,
# and a draft discarded (each the median of three messages), then 10,000 messages
# approved in one call and marked sent in one call (`mark --from` where the binary has
# it, else the IDs on the command line). Wall time and peak RSS from /usr/bin/time.
# Rows: BEFORE (another notices binary, e.g. built from an older commit) when given;
# this build reading the manifest whole (its stamp removed before each command, as
# after a checkout); this build changing it in place (the usual case). Ends by
# checking that the manifest is still exactly Python's json.dumps(indent=2,
# sort_keys=True, ensure_ascii=False) of itself, sorted by id.
#   BEFORE=/path/to/old/notices bash Tests/Benchmarks/lifecycle_bench.sh [EVENTS] [IMPACTS] [SCRATCH]
# WORK=DIR keeps the tree and its output in DIR between runs (rendering 175,000
# messages takes minutes); each run acts on drafts no earlier run touched.
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-20000}
impacts=${2:-20}
scratch=${3:-/dev/shm}
if [ -n "${WORK:-}" ]; then work=$WORK; mkdir -p "$work"; else
  work=$(mktemp -d "$scratch/notices-life.XXXX"); trap 'rm -rf "$work"' EXIT; fi
swift build -c release --product notices >/dev/null
bin=$PWD/.build/release/notices
if [ ! -f "$work/out/manifest.json" ]; then
  [ -d "$work/tree" ] || python3 ../shared/bench/gen_tree.py --seed 1 --events "$events" --impacts-per-event "$impacts" "$work/tree" >/dev/null
  "$bin" render "$work/tree" --out "$work/out" --now 2026-11-29T08:00:00Z --jobs 2 -q
fi
out=$work/out
export NOTICES_USER=bench
measure() { /usr/bin/time -o "$work/time" -f "%e %M" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }; tail -1 "$work/time"; }
median() { sort -n | sed -n 2p; }
# 3 singles, 3 more for discard, then 10,000 drafts no run touched, spread over the file
# (drafts with recipients: approve refuses the others).
pick() {
  python3 - "$out/manifest.json" <<'EOF'
import json, os, sys
out = os.path.dirname(sys.argv[1])
def reachable(id):  # approve needs recipients
    with open(os.path.join(out, "messages", id, "recipients.json")) as f:
        return f.read().strip() != "[]"
d = [e["id"] for e in json.load(open(sys.argv[1]))["messages"] if e["status"] == "draft"]
d = [i for i in d[:: max(1, len(d) // 20000)] if reachable(i)]
print("\n".join(d[:10006]))
EOF
}
one() {  # BIN STEP ID
  case $2 in
    sent|failed) measure "$1" mark "$3" "$2" --out "$out" ;;
    *) measure "$1" "$2" "$3" --out "$out" ;;
  esac
}
row() {  # LABEL BIN STAMPED
  local label=$1 b=$2 stamped=$3 step id r
  local -a ids ts ms batch
  mapfile -t ids < <(pick)
  batch=("${ids[@]:6}")
  unstamp() { [ "$stamped" = yes ] || rm -f "$out/.local/manifest-stamp"; }
  printf '%-28s' "$label"
  for step in approve sent failed retry withdraw discard; do
    ts=(); ms=()
    # The chain acts on the first three; discard on three more drafts.
    for id in "${ids[@]:$([ $step = discard ] && echo 3 || echo 0):3}"; do
      unstamp; r=$(one "$b" "$step" "$id"); ts+=("${r% *}"); ms+=("${r#* }")
    done
    printf ' %6s s %4s MB' "$(printf '%s\n' "${ts[@]}" | median)" "$(( $(printf '%s\n' "${ms[@]}" | median) / 1024 ))"
  done
  unstamp; r=$(measure "$b" approve "${batch[@]}" --out "$out"); printf ' %6s s %4s MB' "${r% *}" "$(( ${r#* } / 1024 ))"
  unstamp
  if "$b" mark --help | grep -q -- '--from'; then
    printf '{"id": "%s", "status": "sent"}\n' "${batch[@]}" > "$work/batch.jsonl"
    r=$(measure "$b" mark --from "$work/batch.jsonl" --out "$out")
  else
    r=$(measure "$b" mark "${batch[@]}" sent --out "$out")
  fi
  printf ' %6s s %4s MB (%d)\n' "${r% *}" "$(( ${r#* } / 1024 ))" "${#batch[@]}"
}
echo "tree: $events events x $impacts impacts; $(grep -c '^      "id": ' "$out/manifest.json") messages; manifest $(( $(stat -c %s "$out/manifest.json") / 1048576 )) MB; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s' ""; for c in approve "mark sent" "mark failed" retry withdraw discard "approve 10k" "mark 10k"; do printf ' %16s' "$c"; done; echo
[ -n "${BEFORE:-}" ] && row "before" "$BEFORE" no
row "after, manifest read whole" "$bin" no
row "after, changed in place" "$bin" yes
python3 - "$out/manifest.json" <<'EOF'
import json, sys
raw = open(sys.argv[1], encoding="utf-8").read()
m = json.loads(raw)
ids = [e["id"].encode() for e in m["messages"]]
assert raw == json.dumps(m, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "manifest is not canonical"
assert ids == sorted(ids), "manifest is not sorted by id"
print(f"manifest canonical and sorted by id: {len(ids)} messages")
EOF
