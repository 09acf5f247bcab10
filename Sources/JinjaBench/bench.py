#!/usr/bin/env python3
"""The Python side of the template benchmark: the same template and context rendered
N times in one process with Python Jinja2 and (when installed) the minijinja package.

    python3 Sources/JinjaBench/bench.py TEMPLATE CONTEXT.json [N] [--print jinja2|minijinja]

Prints one line per engine: "NAME: X µs per render (N renders, B bytes each)".
With --print, writes that engine's output once instead (for comparing bytes).
"""
import json
import sys
import time

import jinja2

args = [a for a in sys.argv[1:] if not a.startswith("--")]
path, ctx_path = args[0], args[1]
n = int(args[2]) if len(args) > 2 else 20000
show = sys.argv[sys.argv.index("--print") + 1] if "--print" in sys.argv else None
source = open(path, encoding="utf-8").read()
ctx = json.load(open(ctx_path, encoding="utf-8"))

try:
    import minijinja
except ImportError:
    minijinja = None

t = jinja2.Environment().from_string(source)
if show == "jinja2":
    sys.stdout.write(t.render(**ctx))
    sys.exit(0)
if show == "minijinja":
    sys.stdout.write(minijinja.Environment(templates={"t": source}).render_template("t", **ctx))
    sys.exit(0)

out = t.render(**ctx)
start = time.perf_counter()
for _ in range(n):
    t.render(**ctx)
print(f"python-jinja2: {(time.perf_counter() - start) / n * 1e6:.2f} µs per render ({n} renders, {len(out.encode())} bytes each)")

if minijinja is None:
    print("minijinja: not installed (pip install minijinja)")
else:
    env = minijinja.Environment(templates={"t": source})
    mout = env.render_template("t", **ctx)
    start = time.perf_counter()
    for _ in range(n):
        env.render_template("t", **ctx)
    print(f"minijinja: {(time.perf_counter() - start) / n * 1e6:.2f} µs per render ({n} renders, {len(mout.encode())} bytes each)")
