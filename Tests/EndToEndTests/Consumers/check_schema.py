#!/usr/bin/env python3
"""`notices schema` checked with PyPI jsonschema: every data file of the examples and
the starter library is valid, and a dozen kinds of bad file are rejected.

With SETTINGS_SCHEMA.json (`notices schema --settings`), every notices.yaml of the
examples is checked against it too, and bad settings are rejected.

Usage: check_schema.py SCHEMA.json REPO_ROOT [SETTINGS_SCHEMA.json]
"""
import glob
import json
import os
import sys

import jsonschema
import yaml

schema = json.load(open(sys.argv[1]))
repo = sys.argv[2]
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
settings_validator = None
if len(sys.argv) > 3:
    settings_schema = json.load(open(sys.argv[3]))
    jsonschema.Draft202012Validator.check_schema(settings_schema)
    settings_validator = jsonschema.Draft202012Validator(settings_schema)


class Loader(yaml.SafeLoader):
    """YAML as notices reads it: timestamps stay text."""


Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}

problems = []
files = sorted(glob.glob(os.path.join(repo, "examples/**/*.yaml"), recursive=True) + glob.glob(os.path.join(repo, "templates/*.yaml")))
checked = 0
for path in files:
    if "/out/" in path:
        continue
    settings = path.endswith("notices.yaml")
    if settings and not settings_validator:
        continue
    for doc in yaml.load_all(open(path, encoding="utf-8"), Loader=Loader):
        checked += 1
        for e in (settings_validator if settings else validator).iter_errors(doc):
            problems.append(f"{os.path.relpath(path, repo)}: {e.message}")

BAD = {
    "unknown collection": "provider:\n  - {slug: a}\n",
    "unknown field": "tenants:\n  - {slug: a, nmae: A}\n",
    "missing required field": "maintenances:\n  - {id: m, provider: p, start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z, status: CONFIRMED}\n",
    "bad status": "outages:\n  - {id: o, summary: s, provider: p, start: 2026-01-01T00:00:00Z, status: DONE}\n",
    "bad impact level": "impacts:\n  - {maintenance: m, circuit: c, impact: BROKEN}\n",
    "string for integer": "templates:\n  - {slug: t, event_type: both, weight: heavy}\n",
    "date without time": "maintenances:\n  - {id: m, summary: s, provider: p, start: 2026-01-01, end: 2026-01-02T00:00:00Z, status: CONFIRMED}\n",
    "collection not a list": "providers:\n  slug: a\n",
    "bad priority": "contact_assignments:\n  - {contact: c, tenant: t, priority: first}\n",
    "bad event_type": "templates:\n  - {slug: t, event_type: sometimes}\n",
    "scope without type": "templates:\n  - {slug: t, event_type: both, scopes: [{object: x}]}\n",
    "object target without id": "impacts:\n  - {outage: o, object: {type: rack}}\n",
    "boolean as text": "templates:\n  - {slug: t, event_type: both, include_ical: maybe}\n",
}
BAD_SETTINGS = {
    "unknown settings key": "ouput: build\n",
    "unknown organization key": "organization: {mail: noc@example.net}\n",
    "organization not a mapping": "organization: Example Networks\n",
    "vars not a mapping": "vars: [a, b]\n",
    "eml without from": "eml: {}\n",
}
rejected = 0
for name, text in BAD.items():
    doc = yaml.load(text, Loader=Loader)
    if list(validator.iter_errors(doc)):
        rejected += 1
    else:
        problems.append(f"bad file accepted: {name}")
if settings_validator:
    for name, text in BAD_SETTINGS.items():
        if list(settings_validator.iter_errors(yaml.load(text, Loader=Loader))):
            rejected += 1
        else:
            problems.append(f"bad settings accepted: {name}")

for p in problems:
    print(p)
total = len(BAD) + (len(BAD_SETTINGS) if settings_validator else 0)
print(f"{checked} documents valid, {rejected} of {total} bad files rejected: {len(problems)} problems")
sys.exit(1 if problems else 0)
