#!/usr/bin/env bash
# One-event edits (issue 17, item 2): a full render of a generated tree into an empty
# folder, then a re-render after editing one event's summary, after editing its window
# (end), after editing one of its impacts. Rendered into tmpfs so the disk does not
# dominate. Three rounds; prints medians of wall time, CPU time (user+sys) and peak RSS,
# each edit's wall time as a share of the full render's, and the load average (the
# machine is shared: compare figures from one run only). ROUNDS=N changes the number
# of rounds; NOTICES_BIN=PATH measures another build of notices (an older one, say).
#   bash Tests/Benchmarks/edit_bench.sh [EVENTS] [IMPACTS] [SCRATCH]
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-2000}
impacts=${2:-20}
scratch=${3:-/dev/shm}
work=$(mktemp -d "$scratch/notices-edit.XXXX")
trap 'rm -rf "$work"' EXIT
swift build -c release --product notices >/dev/null
bin=${NOTICES_BIN:-.build/release/notices}
python3 ../shared/bench/gen_tree.py --seed 1 --events "$events" --impacts-per-event "$impacts" "$work/tree" >/dev/null
# The event edited: the first one of the first maintenance file.
file=$(find "$work/tree/events/maintenances" -type f -name '*.yaml' | sort | head -1)
# edit KIND ROUND: a one-line change of the file's first event.
edit() {
  python3 - "$file" "$1" "$2" <<'EOF'
import re, sys
path, kind, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(path, encoding="utf-8").read()
first = re.search(r"^- id: .*$", text, re.M).end()
end = re.search(r"^- id: ", text[first:], re.M)
stop = first + end.start() if end else len(text)
head, body, tail = text[:first], text[first:stop], text[stop:]
if kind == "summary":
    body = re.sub(r"^(  summary: ).*$", lambda m: m.group(1) + f"Edited summary {n}", body, count=1, flags=re.M)
elif kind == "window":
    body = re.sub(r"^(  end: ).*$", lambda m: m.group(1) + f"'2027-01-0{n}T00:00:00Z'", body, count=1, flags=re.M)
else:
    impacts = ["DEGRADED", "OUTAGE", "NO-IMPACT"]
    body = re.sub(r"^(  - circuit: \S+\n)(    impact: \S+\n)?", lambda m: m.group(1) + f"    impact: {impacts[n % 3]}\n",
                  body, count=1, flags=re.M)
open(path, "w", encoding="utf-8").write(head + body + tail)
EOF
}
# A failed render (a full tmpfs, say) must not pass for a fast one.
measure() {
  if ! /usr/bin/time -o "$work/time" -f "%e %U %S %M" "$@" >/dev/null 2>"$work/err"; then
    echo "failed: $*" >&2; grep -v '^Command exited' "$work/err" | tail -3 >&2; exit 1
  fi
  tail -1 "$work/time"
}
declare -A wall cpu rss
record() {  # NAME "e u s m"
  read -r e u s m <<<"$2"
  wall[$1]+="$e "; cpu[$1]+="$(python3 -c "print(round($u+$s, 2))") "; rss[$1]+="$m "
}
rounds=${ROUNDS:-3}
for i in $(seq 1 "$rounds"); do
  rm -rf "$work/out"; sync; sleep 2
  r=$(measure "$bin" render "$work/tree" --out "$work/out" --now 2026-11-29T08:00:00Z -q)
  record full "$r"
  for kind in summary window impact; do
    edit "$kind" "$i"
    r=$(measure "$bin" render "$work/tree" --out "$work/out" -q)
    record "$kind" "$r"
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
messages=$(find "$work/out/messages" -mindepth 1 -maxdepth 1 -type d | wc -l)
f=$(median <<<"${wall[full]}"); fc=$(median <<<"${cpu[full]}")
echo "tree: $events events x $impacts impacts; $messages messages; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-26s %9s %9s %9s %9s %9s\n' "what" "wall s" "cpu s" "of full" "cpu share" "peak MB"
for k in full summary window impact; do
  w=$(median <<<"${wall[$k]}"); c=$(median <<<"${cpu[$k]}"); m=$(median <<<"${rss[$k]}")
  case $k in full) name="full render";; *) name="re-render after $k edit";; esac
  printf '%-26s %9s %9s %8s%% %8s%% %9s\n' "$name" "$w" "$c" "$(python3 -c "print(round(100*$w/$f, 1))")" \
    "$(python3 -c "print(round(100*$c/$fc, 1))")" "$((m / 1024))"
done
echo "(runs, wall: full ${wall[full]}| summary ${wall[summary]}| window ${wall[window]}| impact ${wall[impact]})"
