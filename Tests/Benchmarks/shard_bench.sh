#!/usr/bin/env bash
# Sharded render benchmark (issue 18): one unsharded render of a generated tree vs
# N shards rendered one after another (`render --shard I/N`) and their merge, on a
# fresh output and again after an edit of every tenth event. Prints each wall time
# and peak RSS, and checks that the merged output is the unsharded one's bytes.
#   bash Tests/Benchmarks/shard_bench.sh [EVENTS] [SHARDS] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-20000}
shards=${2:-4}
jobs=${3:-2}
work=$(mktemp -d /tmp/notices-shard-bench.XXXX)
trap 'rm -rf "$work"' EXIT
swift build -c release --product notices >/dev/null
bin=$PWD/.build/release/notices
python3 ../shared/bench/gen_tree.py --seed 1 --events "$events" "$work/tree" >/dev/null
now=2026-11-29T08:00:00Z
timed() { { /usr/bin/time -f "%e s, %M KB" "$@" -q; } 2>&1 | tail -1; }
same() {
  diff -r -q -x .folder-stats -x folder-stats -x .lock "$1" "$2" >/dev/null && echo "merged output = unsharded output" || { echo "MERGED OUTPUT DIFFERS"; exit 1; }
}
round() {
  local label=$1
  echo "== $label"
  # Each CI job starts with a fresh part folder.
  rm -rf "$work/parts"
  sync; sleep 2
  echo "unsharded render: $(timed "$bin" render "$work/tree" --out "$work/full" --now "$now" --jobs "$jobs")"
  for i in $(seq 1 "$shards"); do
    sync; sleep 1
    echo "shard $i/$shards: $(timed "$bin" render "$work/tree" --shard "$i/$shards" --out "$work/parts/$i" --base "$work/merged" --now "$now" --jobs "$jobs")"
  done
  echo "part sizes: $(du -sh "$work/parts" | cut -f1)"
  sync; sleep 1
  echo "merge: $(timed "$bin" merge "$work"/parts/* --out "$work/merged" --jobs "$jobs")"
  same "$work/full" "$work/merged"
}
round "fresh output ($events events)"
# Every tenth maintenance changes status: updated drafts, the rest unchanged.
python3 - "$work/tree" <<'PY'
import re, sys, glob
for path in glob.glob(sys.argv[1] + "/events/maintenances/*.yaml"):
    head, *items = re.split(r"(?m)^(?=- id: )", open(path, encoding="utf-8").read())
    for n in range(0, len(items), 10):
        items[n] = re.sub(r"(?m)^  status: (\S+)$", lambda m: "  status: " + ("CONFIRMED" if m.group(1) == "TENTATIVE" else "TENTATIVE"), items[n], count=1)
    open(path, "w", encoding="utf-8").write(head + "".join(items))
PY
round "after editing every tenth maintenance"
