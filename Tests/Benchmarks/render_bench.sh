#!/usr/bin/env bash
# Render benchmark (issue figures): full render of a generated tree into an empty
# folder vs `cp -a` of the produced output on the same disk, a re-render with no
# change, peak memory, and the review site (`notices preview`). Three runs each;
# prints the medians.
#   bash Tests/Benchmarks/render_bench.sh [EVENTS] [IMPACTS]
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-2000}
impacts=${2:-20}
work=$(mktemp -d /tmp/notices-bench.XXXX)
trap 'rm -rf "$work"' EXIT
swift build -c release --product notices >/dev/null
bin=.build/release/notices
python3 ../shared/bench/gen_tree.py --seed 1 --events "$events" --impacts-per-event "$impacts" "$work/tree" >/dev/null
median() { sort -n | sed -n 2p; }
full=() copy=() again=() rss=() preview=() previewrss=()
for i in 1 2 3; do
  # Fresh folder names: deleting 100k files just before a run slows ext4 inode
  # allocation for a while, for us and for cp alike.
  sync; sleep 2
  t=$( { /usr/bin/time -f "%e %M" "$bin" render "$work/tree" --out "$work/out$i" --now 2026-11-29T08:00:00Z -q; } 2>&1 | tail -1 )
  full+=("${t% *}"); rss+=("${t#* }")
  sync; sleep 2
  copy+=("$( { /usr/bin/time -f "%e" cp -a "$work/out$i" "$work/copy$i"; } 2>&1 | tail -1 )")
  sync; sleep 2
  again+=("$( { /usr/bin/time -f "%e" "$bin" render "$work/tree" --out "$work/out$i" -q; } 2>&1 | tail -1 )")
  t=$( { /usr/bin/time -f "%e %M" "$bin" preview "$work/tree" --out "$work/out$i" >/dev/null; } 2>&1 | tail -1 )
  preview+=("${t% *}"); previewrss+=("${t#* }")
done
f=$(printf '%s\n' "${full[@]}" | median); c=$(printf '%s\n' "${copy[@]}" | median)
a=$(printf '%s\n' "${again[@]}" | median); m=$(printf '%s\n' "${rss[@]}" | median)
files=$(find "$work/out1" -path "$work/out1/preview" -prune -o -type f -print | wc -l)
echo "tree: $events events x $impacts impacts; output: $files files"
echo "full render: ${full[*]} s (median $f s); cp -a: ${copy[*]} s (median $c s); ratio $(python3 -c "print(round($f/$c, 2))")"
echo "re-render, no change: ${again[*]} s (median $a s) = $(python3 -c "print(round(100*$a/$f))")% of the full render"
echo "peak RSS: ${rss[*]} KB (median $((m / 1024)) MB)"
p=$(printf '%s\n' "${preview[@]}" | median); pm=$(printf '%s\n' "${previewrss[@]}" | median)
echo "preview site: ${preview[*]} s (median $p s), peak RSS median $((pm / 1024)) MB"
