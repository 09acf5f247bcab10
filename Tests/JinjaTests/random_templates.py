#!/usr/bin/env python3
"""Seeded random Jinja2 templates with Python Jinja2's output, for differential tests.

    python3 random_templates.py --seed 1 --count 2000 > cases.json

Each case is {"template", "context" (JSON text), "expected" or "error"}. The Swift test
renders every case with our engine and requires the same output, or a failure where
Jinja2 fails. Cases whose output shows Python object addresses are skipped.
"""
import argparse
import copy
import json
import random

import jinja2

CONTEXT = {
    "a": 7, "b": -3, "f": 2.5, "z": 0, "s": "Hello, World", "t": "a-b c", "e": "", "flag": True, "no": False, "n": None,
    "l": [3, 1, 2], "names": ["ann", "Bob", "cy"], "d": {"k": "v", "n": 2, "l": [1, 2]},
    "users": [{"name": "ann", "age": 31}, {"name": "bob", "age": 25}],
}

FILTERS = ["upper", "lower", "length", "default('dflt')", "join(',')", "first", "last", "reverse|list", "sort", "sum",
           "abs", "int", "float", "string", "round", "round(1)", "title", "capitalize", "trim", "replace('a', 'X')",
           "truncate(8)", "wordcount", "list", "unique|list", "min", "max", "batch(2)|list", "map('string')|list",
           "select('odd')|list", "tojson", "center(9)", "indent(2)", "e", "striptags", "urlencode", "count",
           "default('d', true)", "reject('even')|list", "pprint", "format(1)", "d", "float|round"]
TESTS = ["defined", "undefined", "none", "number", "string", "odd", "even", "divisibleby(2)", "in([1, 2, 3])",
         "iterable", "mapping", "sequence", "integer", "float", "lower", "upper", "boolean", "eq(7)", "gt(1)"]
BINOPS = ["+", "-", "*", "//", "%", "/", "~", "==", "!=", "<", ">=", "and", "or", "in"]
VARS = ["a", "b", "f", "z", "s", "t", "e", "flag", "no", "n", "l", "names", "d", "d.k", "d.n", "d['l']", "users[0].name",
        "l[0]", "l[-1]", "names[1:]", "s[:5]", "users|length", "s", "t", "a", "names"]


class Gen:
    def __init__(self, rng):
        self.r = rng
        self.locals = []

    def literal(self):
        return self.r.choice(["1", "2", "0", "-1", "3.5", "'x'", "'a b'", "''", "true", "false", "none", "[1, 2]",
                              "['p', 'q']", "{'k': 1}", "(1, 'two')"])

    def atom(self):
        pool = VARS + self.locals
        return self.r.choice(pool) if self.r.random() < 0.6 else self.literal()

    def expr(self, depth=0):
        roll = self.r.random()
        if depth > 1 or roll < 0.35:
            return self.atom()
        if roll < 0.55:
            return f"({self.expr(depth + 1)} {self.r.choice(BINOPS)} {self.expr(depth + 1)})"
        if roll < 0.75:
            return f"({self.expr(depth + 1)})|{self.r.choice(FILTERS)}"
        if roll < 0.82:
            neg = "not " if self.r.random() < 0.3 else ""
            return f"(({self.expr(depth + 1)}) is {neg}{self.r.choice(TESTS)})"
        if roll < 0.9:
            return f"({self.expr(depth + 1)} if {self.expr(depth + 1)} else {self.expr(depth + 1)})"
        if roll < 0.95:
            return f"(not {self.expr(depth + 1)})"
        return f"[{self.expr(depth + 1)}, {self.expr(depth + 1)}]"

    def stmt(self, depth=0):
        roll = self.r.random()
        if depth > 2 or roll < 0.3:
            return self.r.choice(["text ", "\n", " - ", "x"]) + "{{ " + self.expr() + " }}"
        if roll < 0.45:
            return ("{% if " + self.expr() + " %}" + self.body(depth) + "{% elif " + self.expr() + " %}"
                    + self.body(depth) + "{% else %}" + self.body(depth) + "{% endif %}")
        if roll < 0.6:
            var = self.r.choice(["i", "item", "x"])
            self.locals.append(var)
            inner = self.body(depth) + "{{ loop.index }}{{ loop.first }}{{ loop.last }}"
            self.locals.pop()
            cond = (" if " + var + " is defined") if self.r.random() < 0.2 else ""
            return "{% for " + var + " in " + self.r.choice(["l", "names", "d", "s", "range(3)", "users", "e", "[]"]) + cond + " %}" \
                + inner + "{% else %}empty{% endfor %}"
        if roll < 0.7:
            var = self.r.choice(["v", "w"])
            self.locals.append(var)
            return "{% set " + var + " = " + self.expr() + " %}{{ " + var + " }}"
        if roll < 0.78:
            return "{% macro m(p, q=2) %}[{{ p }}|{{ q }}]{% endmacro %}{{ m(" + self.expr() + ") }}{{ m(1, q=" + self.expr() + ") }}"
        if roll < 0.86:
            return "{% filter " + self.r.choice(["upper", "trim", "title", "replace('e', '3')", "center(20)"]) + " %}" + self.body(depth) + "{% endfilter %}"
        if roll < 0.93:
            return "{% with w = " + self.expr() + " %}{{ w }}{% endwith %}"
        return "{% set ns = namespace(c=0) %}{% for i in l %}{% set ns.c = ns.c + i %}{% endfor %}{{ ns.c }}"

    def body(self, depth):
        return "".join(self.stmt(depth + 1) for _ in range(self.r.randint(1, 3)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=2000)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    env = jinja2.Environment()
    ctx_json = json.dumps(CONTEXT)
    out = []
    while len(out) < args.count:
        g = Gen(rng)
        template = "".join(g.stmt() for _ in range(rng.randint(1, 2)))
        try:
            # A fresh copy each time: some filters mutate their input in place.
            ctx = copy.deepcopy(CONTEXT)
            case = {"template": template, "context": ctx_json, "expected": env.from_string(template).render(**ctx), "error": None}
        except Exception as e:  # noqa: BLE001 - the failure itself is the expected result
            case = {"template": template, "context": ctx_json, "expected": None, "error": f"{type(e).__name__}: {e}"}
        if case["expected"] is not None and (" at 0x" in case["expected"] or len(case["expected"]) > 4000):
            continue
        # Most random templates fail somewhere; keep failures to about a fifth.
        if case["error"] is not None and sum(1 for c in out if c["error"]) >= args.count // 5:
            continue
        out.append(case)
    json.dump(out, __import__("sys").stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
