#!/usr/bin/env python3
"""Generates Tests/JinjaTests/Fixtures/cases.json from Python Jinja2, the reference.

Each case is a template, a JSON context, environment flags and optional extra named
templates (for include/extends/import). The expected output, or the fact that
Jinja2 raises, is recorded; the Swift tests must produce the same. Re-run after adding
cases:  python3 Tests/JinjaTests/generate_fixtures.py
"""
import json
import os
import sys

import jinja2

assert jinja2.__version__ == "3.1.6", f"fixtures are made with Jinja2 3.1.6, not {jinja2.__version__}"

CASES = []


def c(template, ctx=None, *, templates=None, error=False, **flags):
    CASES.append({"template": template, "context": ctx or {}, "templates": templates or {},
                  "flags": flags, "expect_error": error})


def err(template, ctx=None, **kw):
    c(template, ctx, error=True, **kw)


# --- delimiters and whitespace -------------------------------------------------
c("plain text")
c("a\nb\n")
c("a\nb\n", keep_trailing_newline=True)
c("a\r\nb\r\n")
c("{# comment #}x")
c("a {#- c -#} b")
c("  {%- if true %} x {% endif -%}  ")
c("{% if true %}\nx\n{% endif %}\ny", trim_blocks=True)
c("{% if true %}\nx\n{% endif %}\ny")
c("  {% if true %}\n  x\n  {% endif %}\n", lstrip_blocks=True)
c("  {% if true %}\n  x\n  {% endif %}\n", lstrip_blocks=True, trim_blocks=True)
c("  {%+ if true %}x{% endif %}", lstrip_blocks=True)
c("{% if true +%}\nx{% endif %}", trim_blocks=True)
c("a  {{- 'b' -}}  c")
c("{{ 'x' }}   {% if true %}y{% endif %}", lstrip_blocks=True)
c("line\n    {# note #}\nnext", lstrip_blocks=True)
c("line\n    {# note #}\nnext", lstrip_blocks=True, trim_blocks=True)
c("{% raw %}{{ x }}{% endraw %}")
c("{% raw -%}  {{ x }}  {%- endraw %}")
c("a\n{% raw %}\nb\n{% endraw %}\nc", trim_blocks=True)
c("{{ '{{' }} and {{ '}}' }}")
c("{{ {'a': 1}['a'] }}")
c("{% for i in [1,2] %}\n  {{ i }}\n{% endfor %}\n", trim_blocks=True, lstrip_blocks=True)
c("x {%- for i in [1,2] -%} {{ i }} {%- endfor -%} y")
c("{%- set x = 1 -%}\n\n{{ x }}\n")
c("tab\t{{ 1 }}\t")
c("{{ 'a' }}\n{{ 'b' }}\n", keep_trailing_newline=True)
c("{% if true %}  \n  yes  \n{% endif %}  ", trim_blocks=True, lstrip_blocks=True)
c("{% macro m() %}\n  body\n{% endmacro %}\n{{ m() }}", trim_blocks=True, lstrip_blocks=True)
c("a{#\nmulti\nline\n#}b")

# --- literals and printing -----------------------------------------------------
for lit in ["42", "-7", "3.14", "1e3", "1.5e-7", "1e16", "1e22", "123456789012345678", "0.1 + 0.2", "1_000", "0x1F", "0o17", "0b101",
            "'single'", '"double"', "'it\\'s'", "'tab\\there'", "'\\u00e9'", "'a' 'b'", "true", "True", "false", "none", "None",
            "[1, 2, 3]", "[]", "(1,)", "()", "(1, 2)", "{'a': 1, 'b': [1, 2]}", "{}", "[1, 'a', none, true, 1.5]",
            "['it\\'s', \"q\\\"uote\"]", "[['nested']]", "{'k': {'n': none}}", "('a', ('b', 'c'))", "1.0", "100.0", "2.5e-5",
            "1/3", "10/2", "0.0", "-0.0", "123456789.123", "1e-4", "0.0001234", "12345678901234567.0", "[1.0, 2.50]",
            "'\\n'", "['\\n\\t']", "'é'", "['é', '\\x01']", "'\\\\'", "['\\\\']"]:
    c("{{ " + lit + " }}")
c("{{ x }}", {"x": 1.5})
c("{{ x }}", {"x": [1, "two", None, True, {"k": "v"}]})
c("{{ x }}", {"x": {"z": 1, "a": 2}})
c("{{ x }}", {"x": "café ☕"})

# --- operators -----------------------------------------------------------------
for expr in ["1 + 2", "1 + 2.0", "7 - 10", "3 * 4", "'ab' * 3", "3 * 'ab'", "[1] * 3", "7 / 2", "8 / 2", "7 // 2", "-7 // 2",
             "7 // -2", "7.5 // 2", "7 % 3", "-7 % 3", "7 % -3", "-7.5 % 2", "2 ** 10", "2 ** -1", "2 ** 3 ** 2", "(2 ** 3) ** 2",
             "-2 ** 2", "1 + 2 * 3", "(1 + 2) * 3", "'a' ~ 1 ~ none ~ true", "'a' + 'b'", "[1] + [2]", "1 == 1.0", "1 != 2",
             "1 < 2 < 3", "3 > 2 > 2", "1 <= 1", "'a' < 'b'", "[1, 2] < [1, 3]", "1 in [1, 2]", "'b' in 'abc'", "'z' not in 'abc'",
             "'a' in {'a': 1}", "not true", "not 0", "0 or 'x'", "'y' or 'x'", "1 and 2", "0 and 2", "none or none",
             "true and false or true", "'x' if true else 'y'", "'x' if false else 'y'", "1 if 0", "(1 if 0) is undefined",
             "+3", "-(-3)", "-3|abs", "2 * 3 | string", "10 - 3 - 2", "2 ** 0.5", "True + True", "5 // 0.5",
             "1 == true", "0 == false", "'1' == 1", "[] == []", "{'a': 1} == {'a': 1}", "none == none", "none is none"]:
    c("{{ " + expr + " }}")

# --- attribute and item lookup -------------------------------------------------
ctx = {"d": {"a": 1, "b": {"c": [10, 20, 30]}, "items": "shadow", "key with space": 5}, "l": [1, 2, 3, 4, 5], "s": "hello"}
for expr in ["d.a", "d['a']", "d.b.c[1]", "d.b.c.1", "d['b']['c'][-1]", "d.missing", "d.missing is defined", "d['items']",
             "d['key with space']", "l[0]", "l[-1]", "l[10] is defined", "l[1:3]", "l[:2]", "l[3:]", "l[::2]", "l[::-1]", "l[-2:]",
             "l[1:-1]", "l[5:1:-2]", "s[0]", "s[-1]", "s[1:4]", "s[::-1]", "s.upper()", "d.get('a')", "d.get('zz', 'dflt')",
             "d.b.c|length", "(l|first)", "l.0", "none.x", "d.a.b is defined"]:
    c("{{ " + expr + " }}", ctx)

# --- if / for / loop -----------------------------------------------------------
c("{% if x %}a{% elif y %}b{% else %}c{% endif %}", {"x": 0, "y": 1})
c("{% if x %}a{% elif y %}b{% else %}c{% endif %}", {"x": 0, "y": 0})
c("{% if x is defined and x > 1 %}big{% endif %}", {"x": 5})
c("{% if [] %}t{% else %}f{% endif %}{% if {} %}t{% else %}f{% endif %}{% if '' %}t{% else %}f{% endif %}{% if 0.0 %}t{% else %}f{% endif %}")
c("{% for x in xs %}{{ x }}{% else %}empty{% endfor %}", {"xs": []})
c("{% for x in xs %}{{ x }}{% else %}empty{% endfor %}", {"xs": [1, 2]})
c("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", {"d": {"b": 1, "a": 2}})
c("{% for k in d %}{{ k }}{% endfor %}", {"d": {"b": 1, "a": 2}})
c("{% for c in 'abc' %}{{ c }}-{% endfor %}")
c("{% for x in xs if x % 2 %}{{ x }}{{ loop.index }}/{{ loop.length }} {% endfor %}", {"xs": [1, 2, 3, 4, 5]})
c("{% for x in xs %}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }} {% endfor %}", {"xs": "abc"})
c("{% for x in xs %}{{ loop.cycle('odd', 'even') }} {% endfor %}", {"xs": [1, 2, 3]})
c("{% for x in xs %}{{ loop.previtem }}|{{ loop.nextitem }} {% endfor %}", {"xs": [1, 2, 3]})
c("{% for x in xs %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}", {"xs": [1, 1, 2, 2, 1]})
c("{% for a, b in pairs %}{{ a }}{{ b }} {% endfor %}", {"pairs": [[1, 2], [3, 4]]})
c("{% for a, (b, c) in items %}{{ a }}{{ b }}{{ c }} {% endfor %}", {"items": [[1, [2, 3]], [4, [5, 6]]]})
c("{% for x in xs %}{% for y in ys %}{{ loop.index }}{{ x }}{{ y }} {% endfor %}{% endfor %}", {"xs": [1, 2], "ys": "ab"})
c("{% for x in xs %}{% set outer = loop %}{% for y in xs %}{{ outer.index }}{{ loop.index }} {% endfor %}{% endfor %}", {"xs": [1, 2]})
# Loop scoping: a set inside the body starts fresh in every iteration and does not leak;
# a macro defined in the body keeps the values of its own iteration.
c("{% for x in xs %}{% set y = x * 2 %}{{ y }},{% endfor %}{{ y }}", {"xs": [1, 2, 3]})
c("{% for x in xs %}{{ y | default('-') }}{% set y = x %}{{ y }} {% endfor %}", {"xs": [1, 2, 3]})
# (Called after its loop, such a macro prints Python's "missing" sentinel in Jinja2, a
# late-binding artefact we do not copy: docs/DECISIONS.md.)
c("{% for x in xs %}{% macro m() %}<{{ x }}>{% endmacro %}{{ m() }}{% endfor %}", {"xs": [1, 2, 3]})
c("{% macro show(v) %}[{{ v }}{{ caller() }}]{% endmacro %}{% set ns = namespace(out='') %}{% for x in xs %}{% call show(x) %}{{ x * 10 }}{% endcall %}{% endfor %}", {"xs": [1, 2]})
c("{% for x in xs %}{% for y in ys %}{% set z = x ~ y %}{{ z }} {% endfor %}{{ z | default('none') }};{% endfor %}", {"xs": [1, 2], "ys": "ab"})
c("{% for item in tree recursive %}{{ item.name }}{% if item.children %}[{{ loop(item.children) }}]{% endif %}{% endfor %}",
  {"tree": [{"name": "a", "children": [{"name": "b", "children": []}, {"name": "c", "children": [{"name": "d"}]}]}]})
c("{% for item in tree recursive %}{{ loop.depth }}{{ loop.depth0 }}{{ item.n }}{% if item.c %}{{ loop(item.c) }}{% endif %}{% endfor %}",
  {"tree": [{"n": "a", "c": [{"n": "b"}]}]})
c("{% for x in range(3) %}{{ x }}{% endfor %}{{ x }}")
c("{% set x = 'outer' %}{% for x in [1] %}{{ x }}{% endfor %}{{ x }}")
c("{% set total = 0 %}{% for i in range(4) %}{% set total = total + i %}{{ total }}{% endfor %}|{{ total }}")
c("{% for x in xs|sort %}{{ x }}{% endfor %}", {"xs": [3, 1, 2]})
err("{% for x in none %}a{% else %}b{% endfor %}")
c("{% for x in undefined_thing %}a{% else %}b{% endfor %}")
c("{{ loop is defined }}{% for x in [1] %}{{ loop is defined }}{% endfor %}")
c("{% if true %}{% set y = 5 %}{% endif %}{{ y }}")
c("{% for i in range(2) %}{% if loop.first %}F{% elif loop.last %}L{% endif %}{% endfor %}")
c("{% for x in xs %}{{ x }}{% if not loop.last %}, {% endif %}{% endfor %}", {"xs": ["a", "b", "c"]})
c("{% for x in [1, 2, 3] if x > 5 %}{{ x }}{% else %}none matched{% endfor %}")
c("{% for i in range(10, 0, -3) %}{{ i }} {% endfor %}")

# --- set / with / namespace ----------------------------------------------------
c("{% set a, b = 1, 2 %}{{ a }}{{ b }}")
c("{% set a = [1, 2] %}{% set x, y = a %}{{ y }}{{ x }}")
c("{% set block %}inner {{ 1 + 1 }}{% endset %}[{{ block }}]")
c("{% set block | upper %}shout{% endset %}{{ block }}")
c("{% set ns = namespace(found=false) %}{% for x in [1, 2, 3] %}{% if x == 2 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.found }}")
c("{% set ns = namespace(a=1, b='x') %}{{ ns.a }}{{ ns.b }}")
c("{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}{{ a is defined }}")
c("{% with %}{% set inside = 1 %}{{ inside }}{% endwith %}{{ inside is defined }}")
c("{% set x = 1 %}{% with x = x + 1 %}{{ x }}{% endwith %}{{ x }}")
c("{% set x = 'a' ~ 'b' %}{{ x }}")
c("{% set d = {'k': 'v'} %}{{ d.k }}")
c("{% set f = 'hello'|upper %}{{ f }}")

# --- macros and call -----------------------------------------------------------
c("{% macro m(a, b=2) %}{{ a }}-{{ b }}{% endmacro %}{{ m(1) }} {{ m(1, 3) }} {{ m(b=5, a=4) }}")
c("{% macro m() %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, x=3) }}")
c("{% macro m(a) %}{{ a }}{{ varargs|join }}{% endmacro %}{{ m(1, 2, 3) }}")
c("{% macro m(a) %}[{{ a }}]{% endmacro %}{{ m() }}")
c("{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}bold{% endcall %}")
c("{% macro each(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}{% endmacro %}{% call(x) each([1, 2]) %}<{{ x }}>{% endcall %}")
c("{% macro m() %}{{ caller is defined }}{% endmacro %}{{ m() }}")
c("{% macro rec(n) %}{% if n > 0 %}{{ n }}{{ rec(n - 1) }}{% endif %}{% endmacro %}{{ rec(4) }}")
c("{% set x = 1 %}{% macro m() %}{{ x }}{% endmacro %}{% set x = 2 %}{{ m() }}")
c("{% macro m(a, b) %}{% endmacro %}{{ m.name }} {{ m.arguments }} {{ m.catch_kwargs }}")
c("{% macro m() %}text{% endmacro %}{{ m()|upper }} {{ m()|length }}")
c("{% macro m(x) %}{{ x }}{% endmacro %}{{ [1, 2]|map('string')|list }}")
c("{% macro outer() %}{% macro inner() %}in{% endmacro %}{{ inner() }}{% endmacro %}{{ outer() }}")
c("{% macro m(a, b=a) %}{{ b }}{% endmacro %}{{ m(7) }}")
c("{% macro m() %}{{ kwargs.x }}{% endmacro %}{{ m(x='kw') }}")

# --- filter blocks, include, import, extends ------------------------------------
c("{% filter upper %}hello {{ name }}{% endfilter %}", {"name": "you"})
c("{% filter replace('a', 'o')|upper %}banana{% endfilter %}")
T = {"header.j2": "HEADER {{ title }}", "loopy.j2": "{{ item }};",
     "macros.j2": "{% macro hello(n) %}Hello {{ n }}{% endmacro %}{% set version = 3 %}{% set _private = 1 %}",
     "base.j2": "<{% block title %}Default{% endblock %}>{% block body %}B{% endblock %}<{% block foot %}F{% endblock %}>",
     "mid.j2": "{% extends 'base.j2' %}{% block title %}Mid-{{ super() }}{% endblock %}",
     "layout.j2": "{% block a %}A{% endblock %}|{% block b scoped %}{% endblock %}",
     "ctx.j2": "{{ foo }}", "req.j2": "{% block r required %}{% endblock %}x"}
c("{% include 'header.j2' %}!", {"title": "T"}, templates=T)
c("{% for item in [1, 2] %}{% include 'loopy.j2' %}{% endfor %}", templates=T)
c("{% include 'missing.j2' ignore missing %}ok", templates=T)
c("{% include ['missing.j2', 'header.j2'] %}", {"title": "list"}, templates=T)
c("{% include 'header.j2' without context %}", {"title": "hidden"}, templates=T)
c("{% set title = 'local' %}{% include 'header.j2' %}", templates=T)
c("{% import 'macros.j2' as m %}{{ m.hello('x') }} {{ m.version }}", templates=T)
c("{% from 'macros.j2' import hello, version as v %}{{ hello('y') }}{{ v }}", templates=T)
c("{% from 'macros.j2' import nothing %}{{ nothing is defined }}", templates=T)
c("{% import 'macros.j2' as m %}{{ m._private is defined }}", templates=T)
c("{% set foo = 'set' %}{% import 'ctx.j2' as c %}[{{ c }}]", {"foo": "ctx"}, templates=T)
c("{% extends 'base.j2' %}{% block title %}Child{% endblock %}", templates=T)
c("{% extends 'base.j2' %}{% block body %}[{{ super() }}]{% endblock %}", templates=T)
c("{% extends 'mid.j2' %}{% block title %}Leaf/{{ super() }}{% endblock %}", templates=T)
c("{% extends 'base.j2' %}ignored text{% block foot %}{{ self.title() }}{% endblock %}", templates=T)
c("before{% extends 'base.j2' %}", templates=T)
c("{% extends 'base.j2' %}{% set v = 'top' %}{% block body %}{{ v }}{% endblock %}", templates=T)
c("{% extends 'layout.j2' %}{% block a %}{% for i in [1] %}{{ i }}{% endfor %}{% endblock %}", templates=T)
c("{% extends 'req.j2' %}{% block r %}filled{% endblock %}", templates=T)
c("{% set parent = 'base.j2' %}{% extends parent %}{% block body %}dyn{% endblock %}", templates=T)
c("{% block x %}own{% endblock %} {{ self.x() }}")
c("{% for i in [1, 2] %}{% block loopblock %}{{ i is defined }}{% endblock %}{% endfor %}")
c("{% for i in [1, 2] %}{% block sb scoped %}{{ i }}{% endblock %}{% endfor %}")

# --- filters -------------------------------------------------------------------
F = [
    ("-3|abs", {}), ("-2.5|abs", {}), ("users|map(attribute='name')|join(',')", None), ("[1,2,3,4,5]|batch(2)|list", {}),
    ("[1,2,3,4,5]|batch(2, 'x')|list", {}), ("'hello world'|capitalize", {}), ("'HELLO'|capitalize", {}), ("'ab'|center(8)", {}),
    ("'abc'|center(8)|replace(' ', '.')", {}), ("[1,2]|count", {}), ("'hello'|length", {}), ("{'a':1}|length", {}),
    ("undef|default('dflt')", {}), ("none|default('dflt')", {}), ("''|default('dflt', true)", {}), ("0|d('zero', true)", {}),
    ("{'b': 1, 'A': 2, 'c': 0}|dictsort", {}), ("{'b': 1, 'A': 2, 'c': 0}|dictsort(true)", {}),
    ("{'b': 1, 'a': 2}|dictsort(by='value')", {}), ("{'b': 1, 'a': 2}|dictsort(reverse=true)", {}),
    ("'<a href=\"x\">&</a>'|escape", {}), ("'<b>'|e", {}), ("0|filesizeformat", {}), ("1|filesizeformat", {}),
    ("999|filesizeformat", {}), ("1000|filesizeformat", {}), ("1048576|filesizeformat(true)", {}), ("123456789012|filesizeformat", {}),
    ("[3,2,1]|first", {}), ("[]|first is undefined", {}), ("'abc'|first", {}), ("'3.5'|float", {}), ("'x'|float", {}),
    ("'x'|float(1.5)", {}), ("3|float", {}), ("'<>'|forceescape", {}), ("'%s-%s'|format(1, 'a')", {}),
    ("'%(a)s!'|format(a='kw')", {}), ("'%5.1f|%-4d|%x|%o|%e|%g|%r'|format(3.14159, 42, 255, 8, 12345.678, 0.00001, 'q')", {}),
    ("'%03d %+d % d %%'|format(7, 5, 3)", {}),
    ("users|groupby('city')|map(attribute='grouper')|list", None), ("'line1\nline2\n\nline4'|indent", {}),
    ("'line1\nline2\n\nline4'|indent(2, true, true)", {}), ("'a\nb'|indent('> ')", {}), ("'42'|int", {}), ("'42.9'|int", {}),
    ("'x'|int", {}), ("'x'|int(7)", {}), ("'0x1F'|int(0, 16)", {}), ("'101'|int(base=2)", {}), ("3.99|int", {}), ("'  12  '|int", {}),
    ("'1_000'|int", {}), ("{'a': 1, 'b': 2}|items|list", {}), ("undef|items|list", {}), ("[1, 2, 3]|join('-')", {}),
    ("users|join(', ', attribute='name')", None), ("[1, 2, 3]|last", {}), ("'abc'|list", {}), ("'ABC'|lower", {}),
    ("[1, 2]|map('string')|map('length')|list", {}), ("users|map(attribute='age')|sum", None),
    ("users|map(attribute='missing', default='?')|list", None), ("[3, 1, 2]|max", {}), ("['b', 'A', 'c']|max", {}),
    ("['b', 'A', 'c']|max(case_sensitive=true)", {}), ("users|min(attribute='age')", None), ("[]|max is undefined", {}),
    ("{'b': [1, 'x']}|pprint", {}), ("[1, 2, 3, 4]|reject('odd')|list", {}), ("users|rejectattr('age', 'gt', 30)|map(attribute='name')|list", None),
    ("'Hello World'|replace('o', '0')", {}), ("'aaaa'|replace('a', 'b', 2)", {}), ("'abc'|replace('', '-')", {}),
    ("[1, 2, 3]|reverse|list", {}), ("'abc'|reverse", {}), ("2.5|round", {}), ("3.5|round", {}), ("2.675|round(2)", {}),
    ("42.55|round(1, 'floor')", {}), ("42.51|round(1, 'ceil')", {}), ("1234.5|round(-2)", {}), ("7|round", {}),
    ("'<b>'|safe", {}), ("[1, 2, 3, 4, 5]|select('odd')|list", {}), ("[1, 2, 3]|select('>', 1)|list", {}),
    ("[none, 0, 1, '']|select|list", {}), ("users|selectattr('age', 'lt', 30)|map(attribute='name')|list", None),
    ("users|selectattr('admin')|map(attribute='name')|list", None), ("[1, 2, 3, 4, 5, 6, 7]|slice(3)|list", {}),
    ("[1, 2, 3, 4]|slice(3, 0)|list", {}), ("[3, 1, 2]|sort", {}), ("[3, 1, 2]|sort(reverse=true)", {}),
    ("['b', 'A', 'c']|sort", {}), ("['b', 'A', 'c']|sort(case_sensitive=true)", {}), ("users|sort(attribute='age')|map(attribute='name')|list", None),
    ("users|sort(attribute='city,name')|map(attribute='name')|list", None), ("123|string", {}), ("[1]|string", {}),
    ("'<p>Hello  <b>there</b></p>\n&amp; bye<!-- c -->'|striptags", {}), ("[1, 2, 3]|sum", {}), ("[1, 2]|sum(start=10)", {}),
    ("[0.1, 0.2]|sum", {}), ("'hello wORLD-foo(bar'|title", {}), ("\"they're\"|title", {}), ("{'b': 1, 'a': [1, 'x', none, true]}|tojson", {}),
    ("'<&>\\''|tojson", {}), ("{'a': 'é'}|tojson", {}), ("[1, {'b': 2}]|tojson(2)", {}), ("'  x  '|trim", {}), ("'xxhixx'|trim('x')", {}),
    ("'foo bar baz qux'|truncate(9)", {}), ("'foo bar baz qux'|truncate(9, true)", {}), ("'foo bar baz qux'|truncate(11, false, '~', 0)", {}),
    ("'short'|truncate(10)", {}), ("'foo bar baz qux quux corge'|truncate(20)", {}), ("[1, 2, 1, 3, 2]|unique|list", {}),
    ("['a', 'A', 'b']|unique|list", {}), ("['a', 'A', 'b']|unique(true)|list", {}), ("'abc'|upper", {}),
    ("'a b&c/d'|urlencode", {}), ("{'a': 'x y', 'b': '&'}|urlencode", {}), ("[('k', 'v w')]|urlencode", {}), ("'é'|urlencode", {}),
    ("'see http://example.com/x. or www.test.org!'|urlize", {}), ("'mail me: a@b.com'|urlize", {}),
    ("'http://example.com/very/long/path'|urlize(10)", {}), ("'go to https://x.org'|urlize(target='_blank', nofollow=true)", {}),
    ("'one two, three-four five_six'|wordcount", {}),
    ("'The quick brown fox jumps over the lazy dog'|wordwrap(10)", {}), ("'aaaaaaaaaaaaaaa bb'|wordwrap(5)", {}),
    ("'aaaaaaaaaaaaaaa bb'|wordwrap(5, false)", {}), ("'a b c d e'|wordwrap(3, wrapstring='|')", {}),
    ("{'class': 'x', 'id': none, 'data-v': '<q>'}|xmlattr", {}), ("{'a': 1}|xmlattr(false)", {}), ("'abc'|attr('upper') is defined", {}),
    ("users|first|attr('name')", None), ("['x', 'y']|map('upper')|list", {}), ("'a,b'|list|join('+')", {}), ("range(3)|list", {}),
    ("[[1, 2], [3]]|map('length')|list", {}), ("{'x': 1}|dictsort|first", {}), ("('b', 'a')|sort", {}),
    ("users|groupby('city')|map('list')|list|length", None),
]
USERS = {"users": [{"name": "ann", "age": 31, "city": "Paris", "admin": True},
                   {"name": "bob", "age": 25, "city": "berlin", "admin": False},
                   {"name": "cy", "age": 40, "city": "Paris"}]}
for expr, cx in F:
    c("{{ " + expr + " }}", USERS if cx is None else cx)
c("{% for g in users|groupby('city') %}{{ g.grouper }}:{{ g.list|map(attribute='name')|join(',') }};{% endfor %}", USERS)
c("{% for city, items in users|groupby('city', case_sensitive=true) %}{{ city }}={{ items|length }} {% endfor %}", USERS)
c("{% for row in [1, 2, 3, 4, 5]|batch(2, '-') %}{{ row|join }}|{% endfor %}")

# --- tests ---------------------------------------------------------------------
for expr in ["true is boolean", "1 is boolean", "range is callable", "x is defined", "x is undefined", "10 is divisibleby 5",
             "10 is divisibleby(3)", "1 is eq 1", "1 is equalto 2", "1 is ne 2", "2 is lt 3", "2 is le 2",
             "3 is gt 2", "3 is greaterthan 4", "3 is ge 3", "'x'|e is escaped", "'x' is escaped", "2 is even", "3 is odd",
             "false is false", "0 is false", "true is true", "'upper' is filter", "'nope' is filter", "'odd' is test",
             "1.5 is float", "1 is float", "1 is integer", "true is integer", "2 is in [1, 2]", "'a' is in 'abc'",
             "[] is iterable", "1 is iterable", "'abc' is lower", "'ABC' is upper", "'Abc' is upper", "{} is mapping",
             "[] is mapping", "none is none", "1 is number", "'1' is number", "none is sameas none", "1 is sameas 1",
             "[] is sequence", "'s' is sequence", "1 is sequence", "'s' is string", "1 is string", "x is not defined",
             "1 is not even", "[1, 2]|select('even')|list"]:
    c("{{ " + expr + " }}")

# --- globals -------------------------------------------------------------------
c("{{ range(5)|list }} {{ range(2, 5)|list }} {{ range(0, 10, 3)|list }} {{ range(5, 0, -2)|list }} {{ range(0)|list }}")
c("{{ dict(a=1, b='x') }} {{ dict([('k', 'v')]) }} {{ dict({'z': 1}, y=2) }}")
c("{% set cy = cycler('a', 'b') %}{{ cy.next() }}{{ cy.next() }}{{ cy.next() }}{{ cy.current }}{% set _ = cy.reset() %}{{ cy.next() }}")
c("{% set j = joiner('|') %}{% for x in [1, 2, 3] %}{{ j() }}{{ x }}{% endfor %}")
c("{% set j = joiner() %}{{ j() }}{{ j() }}{{ j() }}")
c("{% set ns = namespace() %}{% set ns.items = [] %}{{ ns.items }}")
c("{{ range(3) is iterable }} {{ dict is callable }}")

# --- methods -------------------------------------------------------------------
for expr in ["'abc'.upper()", "'ABC'.lower()", "'hello world'.title()", "\"they're bill's\".title()", "'hELLO'.capitalize()",
             "'  x  '.strip()", "'xxyxx'.strip('x')", "'  x'.lstrip()", "'x  '.rstrip()", "'a,b,,c'.split(',')", "' a  b c '.split()",
             "'a,b,c'.split(',', 1)", "'a,b,c'.rsplit(',', 1)", "'a\nb\r\nc'.splitlines()", "'aaa'.replace('a', 'b', 2)",
             "'abc'.startswith('ab')", "'abc'.endswith(('x', 'c'))", "'{} and {}'.format(1, 'two')", "'{0}{1}{0}'.format('a', 'b')",
             "'{name}!'.format(name='N')", "'{:>6}|{:<4}|{:^7}'.format('r', 'l', 'c')", "'{:.2f}|{:5d}|{:,}'.format(3.14159, 42, 1234567)",
             "'{:08.3f}'.format(-3.5)", "'{:x} {:o} {:b} {:#x}'.format(255, 8, 5, 255)", "'{0[1]} {1.real}'.format([5, 6], 3)",
             "'{!r}'.format('q')", "'{:%}'.format(0.25)", "'{{}}{}'.format(1)", "'-'.join(['a', 'b'])", "'banana'.count('a')",
             "'banana'.find('n')", "'banana'.rfind('n')", "'banana'.find('z')", "'42'.zfill(5)", "'-42'.zfill(5)", "'ab'.ljust(4, '*')",
             "'ab'.rjust(4)", "'ab'.center(6, '-')", "'a=b=c'.partition('=')", "'123'.isdigit()", "'abc'.isalpha()", "'Ab'.islower()",
             "{'a': 1}.items()|list", "{'a': 1, 'b': 2}.keys()|list", "{'a': 1}.values()|list", "{'a': 1}.get('b', 0)",
             "[1, 2, 3].index(2)", "[1, 1, 2].count(1)", "(1, 2).index(2)", "'x'.format()", "'abc'.removeprefix('a')"]:
    c("{{ " + expr + " }}")

# --- undefined and strict ------------------------------------------------------
c("[{{ missing }}]")
c("{{ missing|default('x') }}", strict_undefined=True)
c("{{ missing is defined }}", strict_undefined=True)
c("{% if missing is undefined %}u{% endif %}", strict_undefined=True)
c("{{ d.missing }}", {"d": {}})
c("{{ missing|length }}")
c("{% for x in missing %}{{ x }}{% endfor %}done")
c("{{ missing ~ 'x' }}")
c("{{ missing == missing }}")
c("{{ (missing or 'fallback') }}")
c("{{ d.x|default('dx') }}", {"d": {}}, strict_undefined=True)
c("{{ 'ok' if missing is not defined }}", strict_undefined=True)
err("{{ missing }}", strict_undefined=True)
err("{{ missing ~ 'x' }}", strict_undefined=True)
err("{% if missing %}x{% endif %}", strict_undefined=True)
err("{% for x in missing %}{% endfor %}", strict_undefined=True)
err("{{ d.missing }}", {"d": {}}, strict_undefined=True)
err("{{ missing|length }}", strict_undefined=True)
err("{{ missing == 1 }}", strict_undefined=True)
err("{{ missing.attr }}")
err("{{ missing() }}")
err("{{ missing + 1 }}")

# --- autoescape ----------------------------------------------------------------
c("{{ x }}", {"x": "<b>&'\""}, autoescape=True)
c("{{ x|safe }}", {"x": "<b>"}, autoescape=True)
c("{{ '<i>' ~ x }}", {"x": "<b>"}, autoescape=True)
c("{{ '<i>'|safe ~ x }}", {"x": "<b>"}, autoescape=True)
c("{{ ['<a>', '<b>'|safe]|join(', ') }}", autoescape=True)
c("{{ ['<a>', '<b>']|join('<br>') }}", autoescape=True)
c("{{ ['<a>', '<b>']|join('<br>'|safe) }}", autoescape=True)
c("{{ '%s'|format('<x>') }}", autoescape=True)
c("{{ '<p>%s</p>'|safe|format('<x>') }}", autoescape=True)
c("{{ 'a<b'|replace('<', '&lt;') }}", autoescape=True)
c("{{ x|e|e }}", {"x": "<"}, autoescape=True)
c("{{ x|forceescape }}", {"x": "<"}, autoescape=True)
c("{% macro m() %}<b>{{ v }}</b>{% endmacro %}{{ m() }}", {"v": "<i>"}, autoescape=True)
c("{% set s %}<u>{% endset %}{{ s }}", autoescape=True)
c("{% autoescape true %}{{ '<a>' }}{% endautoescape %}{{ '<a>' }}")
c("{% autoescape false %}{{ '<a>' }}{% endautoescape %}", autoescape=True)
c("{{ x|tojson }}", {"x": {"k": "<script>"}}, autoescape=True)
c("{{ {'a': '<', 'b': none}|xmlattr }}", autoescape=True)
c("{{ 'http://x.org/?a=1&b=2'|urlize }}", autoescape=True)
c("{% filter upper %}<{{ '<' }}>{% endfilter %}", autoescape=True)

# --- errors: both must fail ----------------------------------------------------
for t in ["{% if x %}", "{% for x in y %}", "{% endif %}", "{% if x %}{% endfor %}", "{{ x", "{{ }}", "{% %}", "{% blah %}",
          "{{ 1 + }}", "{{ (1 }}", "{{ [1, 2 }}", "{{ {'a' 1} }}", "{{ x|nosuchfilter }}", "{{ x is nosuchtest }}",
          "{% macro %}{% endmacro %}", "{% set %}", "{% for in x %}{% endfor %}", "{% block a %}{% endblock %}{% block a %}{% endblock %}",
          "{% extends 'base.j2' %}{% extends 'base.j2' %}", "{% raw %}unterminated", "{# unterminated", "{{ 'unterminated }}",
          "{% include 'nope.j2' %}", "{% import 'nope.j2' as x %}", "{% extends 'nope.j2' %}", "{{ 1 / 0 }}", "{{ 1 // 0 }}",
          "{{ 1 % 0 }}", "{{ 'a' + 1 }}", "{{ 1 + 'a' }}", "{{ [1] + 1 }}", "{{ {} + {} }}", "{{ 'a' < 1 }}", "{{ none < 1 }}",
          "{{ 1 in 1 }}", "{{ 1 in 'abc' }}", "{{ 1() }}", "{{ 'abc'.nomethod() }}", "{% for a, b in [1, 2] %}{% endfor %}", "{% set a, b = [1, 2, 3] %}", "{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}",
          "{% macro m() %}{% endmacro %}{{ m(x=1) }}", "{{ 'x'|truncate(1) }}", "{{ range(1, 2, 0) }}",
          "{{ [1]|sum(attribute='x') }}", "{{ loop() }}", "{% for x in [1] %}{{ loop(x) }}{% endfor %}",
          "{{ {'a': 1}|dictsort(by='nope') }}", "{{ 3|round(0, 'weird') }}", "{{ 1|first }}", 
          "{{ 2 ** 0.5 ** 'a' }}", "{{ 'a' * 'b' }}", "{{ x.y.z }}", "{% extends 'req.j2' %}", "{{ 'a' is divisibleby 2 }}",
          "{{ super() }}", "{% block b %}{{ super() }}{% endblock %}", "{{ '%d'|format('x') }}", "{{ '%s %s'|format(1) }}",
          "{{ '{}'.format() }}", "{{ [1, 'a']|sort }}", "{% set x.y = 1 %}", 
          "{% macro m() %}{{ caller() }}{% endmacro %}{{ m() }}", "{% call nosuch() %}{% endcall %}", "{{ 5|abs(2) }}"]:
    err(t, templates=T)

# --- issue 15: constructs copied templates use -------------------------------
T2 = {"m.j2": "{% macro f() %}[{{ v }}]{% endmacro %}{% set top = v %}", "row.j2": "<{{ i }}>",
      "base2.j2": "{% for i in [1, 2] %}{% block row scoped %}r{{ i }}{% endblock %}{% endfor %}|{% block t %}T{% endblock %}",
      "wc.j2": "{{ a }}", "inc.j2": "[{{ x }}]"}
c("{% set v = 'L' %}{% from 'm.j2' import f with context %}{{ f() }}", {"v": "V"}, templates=T2)
c("{% set v = 'L' %}{% import 'm.j2' as m with context %}{{ m.f() }}{{ m.top }}", {"v": "V"}, templates=T2)
c("{% from 'm.j2' import f without context %}{{ f() }}", {"v": "V"}, templates=T2)
c("{% from 'm.j2' import f, top with context %}{{ f() }}{{ top }}", {"v": "V"}, templates=T2)
c("{% import 'm.j2' as m without context %}{{ m.f() }}", {"v": "V"}, templates=T2)
c("{% for i in [1, 2] %}{% block row scoped %}{{ i }}{% endblock %}{% endfor %}")
c("{% for i in [1, 2] %}{% include 'row.j2' %}{% endfor %}", templates=T2)
c("{% for x in ['a', 'b'] %}{% include 'inc.j2' %}{% endfor %}", templates=T2)
c("{% extends 'base2.j2' %}{% block row %}<{{ i }}{{ self.t() }}>{% endblock %}", templates=T2)
c("{% extends 'base2.j2' %}{% block row %}<{{ super() }}>{% endblock %}", templates=T2)
c("{{ 'a' if false }}|{{ ('a' if false)|default('d') }}", strict_undefined=True)
c("{{ ('a' if false) is defined }}", strict_undefined=True)
c("{% filter upper %}<{{ '<' }}>{% endfilter %}", autoescape=True)
c("{% filter title %}<b>{{ x }}</b>{% endfilter %}", {"x": "<i>"}, autoescape=True)
c("{{ '<' ~ '>' }}|{{ '<'|safe ~ '>' }}|{{ x ~ '&' }}", {"x": "<"}, autoescape=True)
err("{% filter length %}{{ 5 }}{% endfilter %}")
c("{% filter upper %}a{% include 'wc.j2' without context %}b{% endfilter %}", {"a": "x"}, templates=T2)
for expr in ["-0.0 * 1", "(-0.4)|round", "0 * -1.0", "-0.0|abs", "'%.1f'|format(-0.0)", "'{:.1f}'.format(-0.0)", "-0.0 + 0",
             "(-0.0)|string", "[-0.0]", "-0.0|int", "(-0.5)|round(0, 'ceil')", "1 / -1e309", "-1e-320 * 1e-10"]:
    c("{{ " + expr + " }}")
err("{{ d.items(1) }}", {"d": {"a": 1}})
err("{{ d.get() }}", {"d": {"a": 1}})
err("{{ d.keys(1) }}", {"d": {"a": 1}})
err("{{ d.values(x=1) }}", {"d": {"a": 1}})
err("{{ d.get(1, 2, 3) }}", {"d": {"a": 1}})
c("{{ d.items() }}|{{ d.keys() }}|{{ d.values() }}|{{ d.items()|list }}|{{ d.keys() is sequence }}", {"d": {"a": 1, "b": [2]}})
c("{{ d.missing is callable }}|{{ missing is not callable }}", {"d": {}})
# big integers (Python's are unbounded)
for expr in ["2 ** 100", "10 ** 30 // 7", "-(10 ** 30) // 7", "10 ** 30 % 7", "-(10 ** 30) % 7", "2 ** 64 - 1", "-9223372036854775808 // -1",
             "-9223372036854775808 % -1", "(-9223372036854775808)|abs", "-(-9223372036854775808)", "9223372036854775807 + 1",
             "9223372036854775807 * 2", "2 ** 64 / 3", "2 ** 64 == 18446744073709551616.0", "2 ** 53 + 1 == 2.0 ** 53", "2 ** 70 > 1e20",
             "(2 ** 70)|string", "(2 ** 70)|float", "'%d|%x|%o'|format(2 ** 70, 2 ** 70, 2 ** 70)", "'{:,}|{:x}'.format(2 ** 70, 2 ** 70)",
             "[2 ** 70, -2 ** 70]|sum", "[2 ** 70, 1]|max", "(2 ** 70) is integer", "(2 ** 70) is number", "(2 ** 70) is even",
             "(2 ** 70)|tojson", "'123456789012345678901234567890'|int", "'123456789012345678901234567890'|int + 1", "big + 1", "big * big",
             "big // 3", "big|round(-5)", "1234|round(-2)", "1250|round(-2)", "(10 ** 20 // 7)|round(2, 'floor')", "(-8) ** (1/3)",
             "2 ** -2", "(2 ** 70)|filesizeformat", "range(3)", "range(1, 10, 3)", "range(3) == [0, 1, 2]", "range(5)|list|length"]:
    c("{{ " + expr + " }}", {"big": 123456789012345678901234567890})
err("{{ 2 ** 70 // 0 }}")
err("{{ (2 ** 70) / 0 }}")
# strings are code points (issue 20 item 22): no grapheme clusters, no normalization
U = {"e": "e\u0301", "nfc": "\u00e1", "nfd": "a\u0301", "crlf": "a\r\nb", "greek": "\u039f\u0394\u039f\u03a3 \u03a3\u03b1",
     "flag": "\U0001F1E9\U0001F1EA", "thumb": "\U0001F44D\U0001F3FD", "ss": "stra\u00dfe", "sp": "\u00a0x\u2003"}
for expr in ["e|length", "crlf|length", "nfd == nfc", "nfd != nfc", "nfd < nfc", "e[0]", "e[1]|length", "e[-1]", "e[:1]", "e[::-1]",
             "e|reverse", "crlf|reverse|length", "crlf|list", "flag|length", "flag|reverse", "thumb[0]", "thumb|center(6, )",
             "e|center(5)", "'x'|center(4)", "e.center(6, '*')", "e.ljust(4, '-')", "e.zfill(5)", "greek|lower", "greek.lower()",
             "greek|title", "greek.title()", "greek|capitalize", "greek|upper", "ss|upper", "ss.casefold()", "ss|title", "ss.swapcase()",
             "'\u0130'|lower|length", "nfc in nfd", "'e' in e", "'\u0301' in e", "e.find('\u0301')", "e.count('e')",
             "e.split('\u0301')", "nfd.replace('a', 'b')", "e|wordcount", "sp|trim|length", "sp.strip()", "sp.split()", "e|truncate(1, true, '')",
             "e|wordwrap(1)", "{nfc: 1, nfd: 2}|length", "[nfc, nfd]|unique|list|length", "[nfd, nfc, 'b']|sort", "e.isalpha()",
             "'\u00bd'.isnumeric()", "'\u00bd'.isdigit()", "'\u0663'.isdecimal()", "'\u0663'|int", "'ǅ'.istitle()", "'ǆa'|capitalize",
             "e|tojson", "e|urlencode", "e|pprint", "'%3s|'|format(e)", "'{:>4}|'.format(e)", "flag|batch(1)|list", "thumb|slice(2)|list",
             "e|first", "e|last", "e|list|join('+')", "(e ~ nfc)|length", "(e * 2)|length"]:
    c("{{ " + expr + " }}", U)

# --- found by fresh-seed differential runs (seeds 20261202-20261205) -------------
# Jinja2 writes a folded negative constant bare into its generated Python, where
# `-3 ** x` means `-(3 ** x)`.
for expr in ["-2 ** a", "(-2) ** a", "-0.0 ** a", "(1 - 3) ** a", "-2.5 ** a", "-a ** 2", "-2 ** -a", "-2 ** 2",
             "-9223372036854775808 ** a", "(-0.0 ** a)|string|length"]:
    c("{{ " + expr + " }}", {"a": 2})
# StrictUndefined keeps Undefined's repr; hashing it fails.
for expr in ["{'k': d.missing}", "[d.missing]", "(d.missing,)", "[d.missing]|string", "[d.missing]|pprint",
             "d.missing|pprint", "'%r'|format(d.missing)", "[d.missing]|list", "[d.missing]|length"]:
    c("{{ " + expr + " }}", {"d": {}}, strict_undefined=True)
    c("{{ " + expr + " }}", {"d": {}}, strict_undefined=True, autoescape=True)
err("{{ {d.missing: 1} }}", {"d": {}}, strict_undefined=True)
err("{{ [d.missing]|join }}", {"d": {}}, strict_undefined=True)
# urlencode takes any iterable but a string as (key, value) pairs.
c("{{ d.items()|urlencode }}", {"d": {"k": "v w", "n": 2}})
c("{{ d.items()|urlencode }}", {"d": {"k": "v w", "n": 2}}, autoescape=True)
# Each template is compiled on its own: an include escapes as the environment says;
# a macro body as where it is written, its result is markup when the call escapes.
AE = {"row.j2": "{{ x }}|{{ '<i>' }}", "mac.j2": "{% macro m(v) %}[{{ v }}]{% endmacro %}"}
for flag in (False, True):
    for t in ["{% autoescape true %}{% include 'row.j2' %}{% endautoescape %}",
              "{% autoescape false %}{% include 'row.j2' %}{% endautoescape %}",
              "{% macro m(x) %}{{ x }}{% endmacro %}{% autoescape true %}{{ m('<b>') }}{{ m('<b>')|length }}{% endautoescape %}",
              "{% macro m(x) %}{{ x }}{% endmacro %}{% autoescape false %}{{ m('<b>') }}{{ m('<b>')|length }}{% endautoescape %}",
              "{% autoescape true %}{% from 'mac.j2' import m %}{{ m('<b>') }}{% endautoescape %}",
              "{% autoescape false %}{% import 'mac.j2' as mm %}{{ mm.m('<b>') }}{% endautoescape %}"]:
        c(t, {"x": "<x>"}, templates=AE, autoescape=flag)
# truncate measures any sized value: a short dict view comes back as it is.
c("{{ d.items()|truncate(6, false, '~', 0) }}|{{ d.keys()|truncate(9) }}", {"d": {"k": "v", "n": 2}})
# A constant dict with an unhashable constant key fails when Jinja2 folds it (under
# an operator, filter, test, call...), even in a branch that never runs.
for t in ["{% if false %}{{ ({[1]: 2}) ~ 'x' }}{% endif %}", "{{ x ~ {(1, [2]): 1} }}", "{{ x ~ {{}: 1} }}",
          "{% set y = {[1]: 2}|length %}", "{% for a in {[1]: 2}.items() %}{% endfor %}", "{% if not {[1]: 2} %}{% endif %}",
          "{{ [{[1]: 2}]|length }}", "{{ x ~ {[1]|list: 2} }}", "{% set y = {[1]: 2} if false %}", "{% if false and {[1]: 2} %}{% endif %}", "{% if {[1]: 2} is defined %}{% endif %}", "{% if false %}{{ ({'k': -1, ['p', 'q']: 1} // 2) }}{% endif %}"]:
    err(t, {"x": "a"})
for t in ["{% if false %}{{ {[1]: 2} }}{% endif %}", "{{ x ~ {'a': x, [1]: 2} if false }}", "{{ x ~ {'a': 1, [1]: x} if false }}",
          "{% if false %}{% set y = {[1]: 2} %}{% endif %}", "{% if false %}{{ [{[1]: 2}] }}{% endif %}"]:
    c(t, {"x": "a"})
# Jinja2's messages for missing elements name the type without quotes.
err("{{ l[5] }}", {"l": [1]}, strict_undefined=True)

out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Fixtures")
results = []
for i, case in enumerate(CASES):
    flags = case["flags"]
    env = jinja2.Environment(
        loader=jinja2.DictLoader(case["templates"]),
        trim_blocks=flags.get("trim_blocks", False),
        lstrip_blocks=flags.get("lstrip_blocks", False),
        keep_trailing_newline=flags.get("keep_trailing_newline", False),
        autoescape=flags.get("autoescape", False),
        undefined=jinja2.StrictUndefined if flags.get("strict_undefined") else jinja2.Undefined,
    )
    entry = dict(case, id=i)
    # Kept as JSON text so readers keep key order (it is visible when dicts print).
    entry["context"] = json.dumps(case["context"], ensure_ascii=False)
    try:
        entry["expected"] = env.from_string(case["template"]).render(**case["context"])
        entry["error"] = None
    except Exception as e:  # noqa: BLE001 - any failure counts, and we record which
        entry["expected"] = None
        entry["error"] = f"{type(e).__name__}: {e}"
    if case["expect_error"] and entry["error"] is None:
        sys.exit(f"case {i} should fail in Jinja2 but rendered {entry['expected']!r}: {case['template']!r}")
    if not case["expect_error"] and entry["error"] is not None:
        sys.exit(f"case {i} failed in Jinja2: {entry['error']}: {case['template']!r}")
    del entry["expect_error"]
    results.append(entry)

with open(os.path.join(out_dir, "cases.json"), "w", encoding="utf-8") as f:
    json.dump(results, f, indent=1, ensure_ascii=False, sort_keys=True)
    f.write("\n")
print(f"{len(results)} cases ({sum(1 for r in results if r['error'])} error cases) written")
