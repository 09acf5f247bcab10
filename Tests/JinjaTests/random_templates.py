#!/usr/bin/env python3
"""Seeded random Jinja2 templates with Python Jinja2's output, for differential tests.

    python3 random_templates.py --seed 1 --count 2000 > cases.json

Each case is {"template", "context" (JSON text), "templates" (named templates for
include/import/extends), "flags" (autoescape, strict_undefined, trim_blocks,
lstrip_blocks), "expected" or "error"}. The Swift test renders every case with our
engine and requires the same output, or a failure where Jinja2 fails. Cases whose
output shows Python object addresses, or depends on randomness, are skipped.

The generator covers what notification templates use: expressions over numbers
(big integers and negative zero included), Unicode strings (combining marks, CRLF,
final sigma, astral characters), filters and tests, loops, macros with caller and
varargs, set blocks, namespaces, filter blocks, autoescape and strict undefined,
include (also inside loops), import and from-import with and without context,
extends with scoped blocks and super().
"""
import argparse
import copy
import json
import random
import resource
import signal

import jinja2

CONTEXT = {
    "a": 7, "b": -3, "f": 2.5, "z": 0, "s": "Hello, World", "t": "a-b c", "e": "", "flag": True, "no": False, "n": None,
    "l": [3, 1, 2], "names": ["ann", "Bob", "cy"], "d": {"k": "v", "n": 2, "l": [1, 2]},
    "users": [{"name": "ann", "age": 31, "city": "Paris"}, {"name": "bob", "age": 25, "city": "berlin"},
              {"name": "Cy", "age": 40, "city": "paris"}],
    "big": 2 ** 70, "nbig": -(2 ** 65), "imin": -(2 ** 63), "imax": 2 ** 63 - 1, "neg0": -0.0, "tiny": 1e-7,
    "u1": "e\u0301", "u2": "\u00e9", "crlf": "a\r\nb", "greek": "\u039f\u0394\u039f\u03a3 \u03a3", "emoji": "\U0001F44D\U0001F3FD ok",
    "ss": "stra\u00dfe", "html": "<b>&'\"</b>", "nums": [10, 2.5, -1, 2 ** 64], "words": "the quick brown-fox  jumps\tover",
    "nested": {"a": {"b": [1, {"c": "deep"}]}}, "impacts": [{"id": "C-2", "impact": "OUTAGE"}, {"id": "c-1", "impact": "DEGRADED"},
                                                             {"id": "C-3", "impact": "NO-IMPACT"}],
}

FILTERS = ["upper", "lower", "length", "default('dflt')", "join(',')", "first", "last", "reverse|list", "sort", "sum",
           "abs", "int", "float", "string", "round", "round(1)", "title", "capitalize", "trim", "replace('a', 'X')",
           "truncate(8)", "wordcount", "list", "unique|list", "min", "max", "batch(2)|list", "map('string')|list",
           "select('odd')|list", "tojson", "center(9)", "indent(2)", "e", "striptags", "urlencode", "count",
           "default('d', true)", "reject('even')|list", "pprint", "format(1)", "d", "float|round",
           "round(-1)", "round(2, 'floor')", "round(0, 'ceil')", "int(7)", "int(base=16)", "string|length", "list|length",
           "reverse", "wordwrap(5)", "truncate(5, true)", "truncate(6, false, '~', 0)", "center(3)", "indent(1, true)",
           "replace('', '-')", "replace('e', '')", "trim('e')", "batch(2, 'x')|list", "slice(2)|list", "slice(3, 0)|list",
           "dictsort", "items|list", "first|string", "last|string", "join('|', 'name')", "map(attribute='name')|join",
           "selectattr('age', 'gt', 26)|list", "sort(attribute='age')|map(attribute='name')|list", "groupby('city')|list",
           "filesizeformat", "filesizeformat(true)", "xmlattr", "safe", "forceescape", "escape|length", "title|length",
           "upper|reverse", "abs|string", "string|reverse", "list|reverse|join", "sum(start=1.5)", "max(attribute='age')",
           "format('x')", "urlize", "striptags|title", "unique(attribute='city')|list", "tojson(1)"]
TESTS = ["defined", "undefined", "none", "number", "string", "odd", "even", "divisibleby(2)", "in([1, 2, 3])",
         "iterable", "mapping", "sequence", "integer", "float", "lower", "upper", "boolean", "eq(7)", "gt(1)",
         "sameas(none)", "callable", "escaped", "true", "false", "ne(0)", "le(2)"]
BINOPS = ["+", "-", "*", "//", "%", "/", "~", "==", "!=", "<", ">=", "and", "or", "in", "**", "not in", "<="]
VARS = ["a", "b", "f", "z", "s", "t", "e", "flag", "no", "n", "l", "names", "d", "d.k", "d.n", "d['l']", "users[0].name",
        "l[0]", "l[-1]", "names[1:]", "s[:5]", "users|length", "s", "t", "a", "names", "big", "nbig", "imin", "imax", "neg0",
        "tiny", "u1", "u2", "crlf", "greek", "emoji", "ss", "html", "nums", "words", "nested.a.b[1].c", "impacts",
        "u1[0]", "emoji[1]", "crlf[1:]", "greek[::-1]", "s[::2]", "s[-3:]", "d.items()", "d.keys()|list", "missing",
        "missing.attr", "d.missing", "users[0]"]
METHODS = [".upper()", ".lower()", ".title()", ".capitalize()", ".swapcase()", ".strip()", ".split()", ".split(',')",
           ".rsplit(' ', 1)", ".splitlines()", ".replace('l', 'L')", ".startswith('H')", ".endswith(('d', 'x'))",
           ".find('o')", ".rfind('o')", ".count('l')", ".center(15, '*')", ".ljust(12, '.')", ".rjust(12)", ".zfill(14)",
           ".partition(' ')", ".rpartition(',')", ".isdigit()", ".isalpha()", ".islower()", ".isupper()", ".istitle()",
           ".isspace()", ".format(1, 2)", ".casefold()", ".removeprefix('He')", ".removesuffix('ld')", ".index('l')",
           ".get('k')", ".get('x', 0)", ".items()", ".keys()", ".values()", ".get()", ".items(1)", ".copy()", ".index(1)"]
LITERALS = ["1", "2", "0", "-1", "3.5", "'x'", "'a b'", "''", "true", "false", "none", "[1, 2]", "['p', 'q']",
            "{'k': 1}", "(1, 'two')", "2 ** 70", "-0.0", "10 ** 20 // 7", "9223372036854775807 + 1", "-9223372036854775808",
            "'e\\u0301'", "'\\u00e9'", "'\\r\\n'", "'\u03a3'", "0.1", "1e100", "-(2 ** 63)", "2 ** 64 % 1000", "(-7) // 2",
            "-7 % 3", "7.5 // -2", "1 / 3", "0.0 * -1", "-0.0|abs", "(-0.4)|round", "'%5.1f'|format(-0.0)"]


class Gen:
    def __init__(self, rng):
        self.r = rng
        self.locals = []

    def literal(self):
        return self.r.choice(LITERALS)

    def atom(self):
        pool = VARS + self.locals
        roll = self.r.random()
        if roll < 0.55:
            return self.r.choice(pool)
        if roll < 0.65:
            return self.r.choice(["s", "u1", "greek", "d", "names", "html", "words", "l"]) + self.r.choice(METHODS)
        return self.literal()

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
        if roll < 0.88:
            if self.r.random() < 0.3:
                return f"({self.expr(depth + 1)} if {self.expr(depth + 1)})"
            return f"({self.expr(depth + 1)} if {self.expr(depth + 1)} else {self.expr(depth + 1)})"
        if roll < 0.92:
            return f"(not {self.expr(depth + 1)})"
        if roll < 0.96:
            return f"{{'k': {self.expr(depth + 1)}, {self.expr(depth + 1)}: 1}}"
        return f"[{self.expr(depth + 1)}, {self.expr(depth + 1)}]"

    def stmt(self, depth=0):
        roll = self.r.random()
        if depth > 2 or roll < 0.26:
            return self.r.choice(["text ", "\n", " - ", "x", "<p>&", "  \n  "]) + "{{ " + self.expr() + " }}"
        if roll < 0.36:
            return ("{% if " + self.expr() + " %}" + self.body(depth) + "{% elif " + self.expr() + " %}"
                    + self.body(depth) + "{% else %}" + self.body(depth) + "{% endif %}")
        if roll < 0.48:
            var = self.r.choice(["i", "item", "x"])
            self.locals.append(var)
            extra = self.r.choice(["{{ loop.index }}{{ loop.first }}{{ loop.last }}", "{{ loop.cycle('a', 'b') }}",
                                   "{{ loop.previtem }}{{ loop.nextitem }}", "{% if loop.changed(" + var + ") %}c{% endif %}",
                                   "{{ loop.revindex }}/{{ loop.length }}", "{% include 'row.j2' %}",
                                   "{% include ['nope.j2', 'row.j2'] %}", "{% set k = " + var + " %}{{ k }}"])
            inner = self.body(depth) + extra
            self.locals.pop()
            cond = (" if " + var + " is defined") if self.r.random() < 0.2 else ""
            seq = self.r.choice(["l", "names", "d", "s", "range(3)", "users", "e", "[]", "u1", "emoji", "impacts|sort(attribute='impact')",
                                 "nums", "d.items()", "range(3, 0, -1)", "greek"])
            return "{% for " + var + " in " + seq + cond + " %}" + inner + "{% else %}empty{% endfor %}"
        if roll < 0.56:
            var = self.r.choice(["v", "w"])
            self.locals.append(var)
            if self.r.random() < 0.3:
                return "{% set " + var + " %}" + self.body(depth) + "{% endset %}[{{ " + var + " }}]"
            return "{% set " + var + " = " + self.expr() + " %}{{ " + var + " }}"
        if roll < 0.62:
            return self.r.choice([
                "{% macro m(p, q=2) %}[{{ p }}|{{ q }}]{% endmacro %}{{ m(" + self.expr() + ") }}{{ m(1, q=" + self.expr() + ") }}",
                "{% macro m() %}<{{ varargs|join(',') }}|{{ kwargs|dictsort }}>{% endmacro %}{{ m(" + self.expr() + ", 2, z=" + self.expr() + ") }}",
                "{% macro w(t) %}<{{ t }}>{{ caller(t) }}</{{ t }}>{% endmacro %}{% call(x) w('b') %}{{ x }}:" + self.body(depth) + "{% endcall %}",
                "{% macro r(n) %}{% if n > 0 %}{{ n }}{{ r(n - 1) }}{% endif %}{% endmacro %}{{ r(3) }}",
            ])
        if roll < 0.68:
            return "{% filter " + self.r.choice(["upper", "trim", "title", "replace('e', '3')", "center(20)", "escape", "lower|e",
                                                  "indent(2)", "striptags", "wordcount", "length", "reverse"]) + " %}" + self.body(depth) + "{% endfilter %}"
        if roll < 0.72:
            return "{% with w = " + self.expr() + " %}{{ w }}{% endwith %}"
        if roll < 0.76:
            return "{% set ns = namespace(c=0) %}{% for i in l %}{% set ns.c = ns.c + i %}{% endfor %}{{ ns.c }}{{ ns }}"
        if roll < 0.84:
            return self.r.choice([
                "{% import 'macros.j2' as mm %}{{ mm.hello(" + self.expr() + ") }}{{ mm.version }}",
                "{% import 'macros.j2' as mm with context %}{{ mm.ctx() }}",
                "{% import 'macros.j2' as mm without context %}{{ mm.ctx() }}",
                "{% from 'macros.j2' import hello, ctx with context %}{{ hello(1) }}{{ ctx() }}",
                "{% from 'macros.j2' import ctx without context %}{{ ctx() }}",
                "{% from 'macros.j2' import ctx %}{{ ctx() }}",
                "{% set a = 'local' %}{% from 'macros.j2' import ctx with context %}{{ ctx() }}",
                "{% set a = 'local' %}{% include 'ctx.j2' %}{% include 'ctx.j2' without context %}",
                "{% include 'missing.j2' ignore missing %}",
            ])
        if roll < 0.88:
            return "{% autoescape " + self.r.choice(["true", "false"]) + " %}" + self.body(depth) + "{% endautoescape %}"
        return "{% set ns = namespace(items=[]) %}{% for i in names %}{% set ns.items = ns.items + [i|upper] %}{% endfor %}{{ ns.items|join('/') }}"

    def body(self, depth):
        return "".join(self.stmt(depth + 1) for _ in range(self.r.randint(1, 3)))

    def child(self):
        """A template extending 'base.j2' (blocks scoped in a loop, super(), self)."""
        blocks = []
        for name in self.r.sample(["title", "row", "foot"], self.r.randint(1, 3)):
            inner = self.r.choice(["{{ super() }}", "[{{ i }}]", "{{ self.title() }}", "x", "{{ s|upper }}"]) + self.body(2)
            blocks.append("{% block " + name + " %}" + inner + "{% endblock %}")
        pre = self.r.choice(["", "{% set s = 'child' %}", "ignored text "])
        return pre + "{% extends 'base.j2' %}" + "".join(blocks)


TEMPLATES = {
    "row.j2": "<{{ item if item is defined else (x if x is defined else i) }}>",
    "ctx.j2": "({{ a }})",
    "macros.j2": "{% macro hello(n) %}Hello {{ n }}{% endmacro %}{% macro ctx() %}[{{ a }}]{% endmacro %}"
                 "{% set version = 3 %}{% set _private = 1 %}",
    "base.j2": "<{% block title %}T{% endblock %}>{% for i in [1, 2] %}{% block row scoped %}r{{ i }}{% endblock %}{% endfor %}"
               "{% block foot %}F{% endblock %}",
}


def make_env(flags):
    return jinja2.Environment(
        loader=jinja2.DictLoader(TEMPLATES),
        autoescape=flags.get("autoescape", False),
        undefined=jinja2.StrictUndefined if flags.get("strict_undefined") else jinja2.Undefined,
        trim_blocks=flags.get("trim_blocks", False),
        lstrip_blocks=flags.get("lstrip_blocks", False),
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=2000)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    ctx_json = json.dumps(CONTEXT)
    # Templates like `'x' * big` make Python allocate without end: cap its memory (such
    # cases become MemoryError, which our engine answers with its size limit) and
    # skip cases that take too long.
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, resource.RLIM_INFINITY))

    def too_slow(*_):
        raise TimeoutError

    signal.signal(signal.SIGALRM, too_slow)
    out = []
    while len(out) < args.count:
        g = Gen(rng)
        flags = {}
        if rng.random() < 0.2:
            flags["autoescape"] = True
        if rng.random() < 0.15:
            flags["strict_undefined"] = True
        if rng.random() < 0.1:
            flags["trim_blocks"] = True
            flags["lstrip_blocks"] = rng.random() < 0.5
        template = g.child() if rng.random() < 0.1 else "".join(g.stmt() for _ in range(rng.randint(1, 2)))
        if "random" in template or "lipsum" in template:
            continue
        case = {"template": template, "context": ctx_json, "templates": TEMPLATES, "flags": flags}
        try:
            # A fresh copy each time: some filters mutate their input in place.
            ctx = copy.deepcopy(CONTEXT)
            signal.alarm(3)
            case.update(expected=make_env(flags).from_string(template).render(**ctx), error=None)
        except TimeoutError:
            continue
        except Exception as e:  # noqa: BLE001 - the failure itself is the expected result
            case.update(expected=None, error=f"{type(e).__name__}: {e}")
        finally:
            signal.alarm(0)
        if case["expected"] is not None and (" at 0x" in case["expected"] or len(case["expected"]) > 4000):
            continue
        # Most random templates fail somewhere; keep failures to about a fifth.
        if case["error"] is not None and sum(1 for c in out if c["error"]) >= args.count // 5:
            continue
        out.append(case)
    json.dump(out, __import__("sys").stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
