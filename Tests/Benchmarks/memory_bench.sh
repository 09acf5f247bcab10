#!/usr/bin/env bash
# Peak memory (and time) on a large generated tree, rendered into tmpfs so the disk
# does not dominate: `validate`, a full render into an empty folder, and a re-render
# after one event's summary changed (the shortcut cannot apply: the tree changed, so
# every message is fingerprinted again and the manifest read and written). Three runs
# each; prints the medians.
#   bash Tests/Benchmarks/memory_bench.sh [EVENTS] [IMPACTS] [SCRATCH]
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-20000}
impacts=${2:-20}
scratch=${3:-/dev/shm}
work=$(mktemp -d "$scratch/notices-mem.XXXX")
trap 'rm -rf "$work"' EXIT
swift build -c release --product notices >/dev/null
bin=.build/release/notices
python3 ../shared/bench/gen_tree.py --seed 1 --events "$events" --impacts-per-event "$impacts" "$work/tree" >/dev/null
measure() { /usr/bin/time -o "$work/time" -f "%e %M" "$@" >/dev/null 2>&1; tail -1 "$work/time"; }
median() { sort -n | sed -n 2p; }
declare -a vt vm ft fm et em
for i in 1 2 3; do
  r=$(measure "$bin" validate "$work/tree"); vt+=("${r% *}"); vm+=("${r#* }")
  rm -rf "$work/out"
  r=$(measure "$bin" render "$work/tree" --out "$work/out" --now 2026-11-29T08:00:00Z -q); ft+=("${r% *}"); fm+=("${r#* }")
  file=$(grep -rl 'summary: ' "$work/tree/events" | sort | head -1)
  sed -i "0,/summary: /s//summary: Edit $i /" "$file"
  r=$(measure "$bin" render "$work/tree" --out "$work/out" -q); et+=("${r% *}"); em+=("${r#* }")
done
messages=$(find "$work/out/messages" -mindepth 1 -maxdepth 1 -type d | wc -l)
mb() { echo $(( $(printf '%s\n' "$@" | median) / 1024 )); }
s() { printf '%s\n' "$@" | median; }
echo "tree: $events events x $impacts impacts; $messages messages"
echo "validate:                  $(s "${vt[@]}") s, peak RSS $(mb "${vm[@]}") MB  (runs: ${vm[*]} KB)"
echo "full render:               $(s "${ft[@]}") s, peak RSS $(mb "${fm[@]}") MB  (runs: ${fm[*]} KB)"
echo "re-render after one edit:  $(s "${et[@]}") s, peak RSS $(mb "${em[@]}") MB  (runs: ${em[*]} KB)"
