#!/usr/bin/env bash
# CPU and wall-time benchmark (issue 17, target 1): on one generated tree, medians of
# three runs, on tmpfs and on the ordinary disk:
#   - CPU time (user + sys) of `notices render --jobs 1` vs the Python peer
#     (Tests/Benchmarks/peer/render_peer.py: PyYAML, Jinja2, cmarkgfm in one process),
#     target: notices at most 1/5 of the peer;
#   - wall time of `notices render --jobs 2` vs `cp -a` of the folder it produced,
#     target: at most 1.2 x cp -a.
# It also checks that the peer wrote the same files as notices, so both did the same work.
#   bash Tests/Benchmarks/cpu_bench.sh [EVENTS] [IMPACTS]
# Env: PYTHON (default .venv/bin/python), TMPFS (default /dev/shm), DISK (default /tmp).
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-2000}
impacts=${2:-20}
python=${PYTHON:-.venv/bin/python}
tmpfs=${TMPFS:-/dev/shm}
disk=${DISK:-/tmp}
now=2026-11-29T08:00:00Z
[ "$(stat -f -c %T "$tmpfs")" = tmpfs ] || { echo "$tmpfs is not a tmpfs; set TMPFS" >&2; exit 2; }
"$python" -c 'import jinja2, yaml, cmarkgfm' || { echo "$python lacks jinja2, pyyaml or cmarkgfm (bash .ci/run makes .venv)" >&2; exit 2; }
swift build -c release --product notices >/dev/null
bin=$PWD/.build/release/notices
peer=$PWD/Tests/Benchmarks/peer/render_peer.py
dirs=()
trap 'rm -rf "${dirs[@]}"' EXIT
src=$(mktemp -d "$disk/notices-cpu.XXXX"); dirs+=("$src")
python3 ../shared/bench/gen_tree.py --seed 1 --events "$events" --impacts-per-event "$impacts" "$src/tree" >/dev/null

median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
# "wall cpu user+sys" of a command: seconds of wall time, of CPU time, and its split.
timed() {
  local f e; f=$(mktemp); e=$(mktemp)
  if ! /usr/bin/time -o "$f" -f "%e %U %S" "$@" >/dev/null 2>"$e"; then echo "failed: $*" >&2; tail -n 5 "$e" "$f" >&2; exit 1; fi
  awk '{ printf "%.2f %.2f %.2fu+%.2fs\n", $1, $2 + $3, $2, $3 }' "$f"; rm -f "$f" "$e"
}
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }

echo "machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
rows=()
for medium in tmpfs disk; do
  if [ "$medium" = tmpfs ]; then w=$(mktemp -d "$tmpfs/notices-cpu.XXXX"); dirs+=("$w"); cp -a "$src/tree" "$w/tree"; else w=$src; fi
  cpu1=() cpupy=() wall2=() wallcp=() split1=() splitpy=() same=identical files=0
  for i in 1 2 3; do
    # Fresh folder names: deleting 100,000 files just before a run slows ext4 inode
    # allocation for a while (docs/PERFORMANCE.md), so the disk keeps them to the end.
    sync; sleep 2
    read -r _ c s < <(timed "$bin" render "$w/tree" --out "$w/j1-$i" --now "$now" --jobs 1 -q); cpu1+=("$c"); split1+=("$s")
    sync; sleep 2
    read -r _ c s < <(timed "$python" "$peer" "$w/tree" --out "$w/py-$i" --now "$now"); cpupy+=("$c"); splitpy+=("$s")
    if [ "$i" = 1 ]; then
      diff -rq --exclude='.*' "$w/j1-1" "$w/py-1" >/dev/null || same=DIFFERENT
      files=$(find "$w/j1-1" -type f -not -name '.*' | wc -l)
    fi
    sync; sleep 2
    read -r t _ < <(timed "$bin" render "$w/tree" --out "$w/j2-$i" --now "$now" --jobs 2 -q); wall2+=("$t")
    sync; sleep 2
    read -r t _ < <(timed cp -a "$w/j2-$i" "$w/cp-$i"); wallcp+=("$t")
    if [ "$medium" = tmpfs ]; then rm -rf "$w/j1-$i" "$w/py-$i" "$w/j2-$i" "$w/cp-$i"; fi
  done
  c1=$(median "${cpu1[@]}"); cpy=$(median "${cpupy[@]}"); w2=$(median "${wall2[@]}"); wcp=$(median "${wallcp[@]}")
  echo "$medium: notices --jobs 1 CPU ${split1[*]}; peer CPU ${splitpy[*]}; notices --jobs 2 wall ${wall2[*]} s; cp -a ${wallcp[*]} s;"
  echo "  $files files, peer output $same; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
  rows+=("| $medium | $c1 s | $cpy s | $(ratio "$c1" "$cpy") | $w2 s | $wcp s | $(ratio "$w2" "$wcp") |")
  if [ "$medium" = tmpfs ]; then rm -rf "$w"; fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# Deleting the outputs takes minutes on ext4 and slows the disk meanwhile: done before
# the table is printed, so a run that starts after this one has ended is not disturbed.
rm -rf "${dirs[@]}"; dirs=()
echo
echo "tree: $events events x $impacts impacts (gen_tree.py --seed 1); medians of 3"
echo
echo "| medium | notices --jobs 1, CPU | Python peer, CPU | ratio (target <= 0.20) | notices --jobs 2, wall | cp -a, wall | ratio (target <= 1.2) |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
