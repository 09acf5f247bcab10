#!/usr/bin/env bash
# Peak memory (and time) of every command on a large generated tree, rendered into
# tmpfs so the disk does not dominate (issue 17, item 4: under 200 MB at 2,000 events,
# under 500 MB at 20,000). One row per command, in the order a repository lives
# through them: validate, a full render, a re-render with no change and after one
# event's summary changed, check, list, preview, explain, the lifecycle commands on
# one message and a 10,000-line `mark --from` batch, a sharded render and its merge.
# Peak RSS hardly moves between runs; RUNS=3 takes the median of three for the
# render rows.
#   bash Tests/Benchmarks/memory_bench.sh [EVENTS] [IMPACTS] [SCRATCH]
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-20000}
impacts=${2:-20}
scratch=${3:-/dev/shm}
runs=${RUNS:-1}
work=$(mktemp -d "$scratch/notices-mem.XXXX")
trap 'rm -rf "$work"' EXIT
swift build -c release --product notices >/dev/null
bin=$PWD/.build/release/notices
tree=$work/tree out=$work/out
python3 ../shared/bench/gen_tree.py --seed 1 --events "$events" --impacts-per-event "$impacts" "$tree" >/dev/null
export NOTICES_USER=bench
now=2026-11-29T08:00:00Z

# Runs a command; prints "SECONDS MAXRSS_KB". A failing command stops the script.
measure() {
  /usr/bin/time -o "$work/time" -f "%e %M" "$@" >"$work/stdout" 2>"$work/err" || { echo "failed: $*" >&2; cat "$work/err" >&2; exit 1; }
  tail -1 "$work/time"
}
median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
row() {  # LABEL "SECONDS KB"...
  local label=$1; shift
  local -a t m
  for r in "$@"; do
    [ -n "$r" ] || exit 1  # measure failed and said why
    t+=("${r% *}"); m+=("${r#* }")
  done
  printf '| %-34s | %8s s | %5s MB |\n' "$label" "$(printf '%s\n' "${t[@]}" | median)" \
    "$(( $(printf '%s\n' "${m[@]}" | median) / 1024 ))"
}
repeat() {  # LABEL SETUP COMMAND...: runs COMMAND $runs times, SETUP (a function) before each
  local label=$1 setup=$2; shift 2
  local -a rs
  for _ in $(seq "$runs"); do $setup; rs+=("$(measure "$@")"); done
  row "$label" "${rs[@]}"
}
fresh() { rm -rf "$out"; }
none() { :; }
edit=0
edit_summary() {
  edit=$((edit + 1))
  local file; file=$(grep -rl 'summary: ' "$tree/events" | sort | head -1)
  sed -i "0,/summary: /s//summary: Edit $edit /" "$file"
}

echo "tree: $events events x $impacts impacts; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| command | time | peak RSS |"
echo "|---|---|---|"
repeat "validate --data-only" none "$bin" validate "$tree" --data-only
repeat "validate (renders in memory)" none "$bin" validate "$tree" --now "$now"
repeat "render, empty folder" fresh "$bin" render "$tree" --out "$out" --now "$now" -q
repeat "render, no change" none "$bin" render "$tree" --out "$out" --now "$now" -q
repeat "render after one event's edit" edit_summary "$bin" render "$tree" --out "$out" --now "$now" -q
row "check" "$(measure "$bin" check "$tree" --out "$out")"
row "list" "$(measure "$bin" list --root "$tree" --out "$out")"
row "list --json" "$(measure "$bin" list --root "$tree" --out "$out" --json)"
row "preview" "$(measure "$bin" preview "$tree" --out "$out")"
rm -rf "$out/preview"
event=$(grep -rh -m1 '^- id: \|^  - id: \|^id: ' "$tree/events/maintenances" | head -1 | sed 's/.*id: //')
row "explain $event" "$(measure "$bin" explain "$tree" "$event")"

# Lifecycle: drafts with recipients (approve needs some), spread over the manifest.
mapfile -t ids < <(python3 - "$out/manifest.json" <<'EOF'
import json, os, sys
out = os.path.dirname(sys.argv[1])
def reachable(id):
    with open(os.path.join(out, "messages", id, "recipients.json")) as f:
        return f.read().strip() != "[]"
d = [e["id"] for e in json.load(open(sys.argv[1]))["messages"] if e["status"] == "draft"]
d = [i for i in d[:: max(1, len(d) // 20000)] if reachable(i)]
print("\n".join(d[:: max(1, len(d) // 10004)][:10004]))
EOF
)
row "approve ID" "$(measure "$bin" approve "${ids[0]}" --out "$out")"
row "mark ID sent" "$(measure "$bin" mark "${ids[0]}" sent --out "$out")"
row "mark ID failed" "$(measure "$bin" mark "${ids[0]}" failed --out "$out" --message "550 mailbox unavailable")"
row "retry ID" "$(measure "$bin" retry "${ids[0]}" --out "$out")"
row "withdraw ID" "$(measure "$bin" withdraw "${ids[0]}" --out "$out" --message bench)"
row "discard ID" "$(measure "$bin" discard "${ids[1]}" --out "$out")"
batch=("${ids[@]:2:10000}")
row "approve ${#batch[@]} IDs (one call)" "$(measure "$bin" approve "${batch[@]}" --out "$out")"
printf '%s\n' "${batch[@]}" | sed 's/.*/{"id": "&", "status": "sent"}/' >"$work/batch.jsonl"
row "mark --from (${#batch[@]} lines)" "$(measure "$bin" mark --from "$work/batch.jsonl" --out "$out")"

# Sharded: two parts against OUT, merged into it.
row "render --shard 1/2" "$(measure "$bin" render "$tree" --shard 1/2 --out "$work/p1" --base "$out" --now "$now" -q)"
row "render --shard 2/2" "$(measure "$bin" render "$tree" --shard 2/2 --out "$work/p2" --base "$out" --now "$now" -q)"
row "merge (2 parts)" "$(measure "$bin" merge "$work/p1" "$work/p2" --out "$out" -q)"
messages=$(find "$out/messages" -mindepth 1 -maxdepth 1 -type d | wc -l)
echo "messages: $messages; manifest $(( $(stat -c %s "$out/manifest.json") / 1048576 )) MB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
