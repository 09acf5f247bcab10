#!/usr/bin/env python3
"""The Python side of the template benchmark: the same template and context rendered
N times with Python Jinja2 and (when installed) the minijinja package.

    python3 Sources/JinjaBench/bench.py Sources/JinjaBench/maintenance.md.j2 Sources/JinjaBench/context.json 100000
"""
import json
import sys
import time

import jinja2

path, ctx_path = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
source = open(path, encoding="utf-8").read()
ctx = json.load(open(ctx_path, encoding="utf-8"))

t = jinja2.Environment().from_string(source)
out = t.render(**ctx)
start = time.perf_counter()
for _ in range(n):
    t.render(**ctx)
print(f"python-jinja2: {(time.perf_counter() - start) / n * 1e6:.2f} µs per render ({n} renders, {len(out.encode())} bytes each)")

try:
    import minijinja
except ImportError:
    print("minijinja: not installed (pip install minijinja)")
else:
    env = minijinja.Environment(templates={"t": source})
    mout = env.render_template("t", **ctx)
    start = time.perf_counter()
    for _ in range(n):
        env.render_template("t", **ctx)
    same = "same output" if mout == out else "output differs from Jinja2"
    print(f"minijinja: {(time.perf_counter() - start) / n * 1e6:.2f} µs per render ({same})")
