#!/usr/bin/env bash
# The template engine against Python Jinja2 and minijinja (PyPI), side by side.
#
#   bash Tests/Benchmarks/jinja_bench.sh [RUNS] [RENDERS]
#
# For each workload (the JinjaBench maintenance body, and the filter-heavy body of
# issue 15: sort(attribute=...), lower|replace|title per row, replace on the summary)
# it checks that the three engines print the same bytes, then renders RENDERS times in
# one process per engine, RUNS times, interleaved, and prints the median µs per render
# and the ratios. The machine is shared: medians of interleaved runs, not single runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
renders=${2:-20000}
python3 -c 'import jinja2, minijinja' 2>/dev/null || { echo "needs python3 with jinja2 and minijinja (pip install minijinja)" >&2; exit 2; }
swift build -c release --product JinjaBench >/dev/null
bench=.build/release/JinjaBench
dir=Sources/JinjaBench

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m}'; }

printf '%-22s %12s %12s %12s %10s %12s\n' workload "ours µs" "Jinja2 µs" "minijinja µs" "vs Jinja2" "vs minijinja"
for workload in "maintenance.md.j2 context.json" "filters.md.j2 filters.json"; do
  set -- $workload
  tpl=$dir/$1 ctx=$dir/$2
  ours=$($bench "$tpl" "$ctx" 1 --print)
  for engine in jinja2 minijinja; do
    if [ "$(python3 $dir/bench.py "$tpl" "$ctx" 1 --print $engine)" != "$ours" ]; then
      echo "$1: output differs from $engine" >&2; exit 1
    fi
  done
  : > /tmp/jb-ours; : > /tmp/jb-py; : > /tmp/jb-mini
  for _ in $(seq "$runs"); do
    $bench "$tpl" "$ctx" "$renders" | sed -E 's/.*: ([0-9.]+) µs.*/\1/' >> /tmp/jb-ours
    python3 $dir/bench.py "$tpl" "$ctx" "$renders" > /tmp/jb-line
    grep python-jinja2 /tmp/jb-line | sed -E 's/.*: ([0-9.]+) µs.*/\1/' >> /tmp/jb-py
    grep minijinja /tmp/jb-line | sed -E 's/.*: ([0-9.]+) µs.*/\1/' >> /tmp/jb-mini
  done
  o=$(median < /tmp/jb-ours) p=$(median < /tmp/jb-py) m=$(median < /tmp/jb-mini)
  printf '%-22s %12s %12s %12s %9.2fx %11.2fx\n' "$1" "$o" "$p" "$m" "$(echo "$p / $o" | bc -l)" "$(echo "$m / $o" | bc -l)"
done
echo "(ratios: how many times faster than the other engine; median of $runs runs of $renders renders each)"
