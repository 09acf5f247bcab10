#!/usr/bin/env python3
"""Renders examples/netbox-notices-compat the way the netbox-notices plugin would, with
Python Jinja2 3.1.6, and compares subject, body text and iCal with a notices output.

The context is rebuilt from the example's YAML files independently of notices: model
objects with NetBox-like attributes and str(), timezone-aware UTC datetimes, and the
plugin's ical_datetime filter. `now` and `message_sequence` come from the manifest
(render time and revision are the render's own facts, not the templates').

Usage: netbox_compat_reference.py EXAMPLE_DIR OUT_DIR
"""
import datetime
import json
import os
import re
import sys

import jinja2
import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Support"))
from plugin_objects import URL, UTC, Obj, ical_datetime  # noqa: E402

root, out = sys.argv[1], sys.argv[2]


class Loader(yaml.SafeLoader):
    """Timestamps stay text, as notices reads them."""


Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def load(name):
    with open(os.path.join(root, name), encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)


def when(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


org, circuits, events, templates = load("organization.yaml"), load("circuits.yaml"), load("maintenances.yaml"), load("templates.yaml")
settings = load("notices.yaml")
providers = {p["slug"]: Obj(p["name"], pk=p["slug"], id=p["slug"], **p) for p in org["providers"]}
tenants = {t["slug"]: Obj(t["name"], pk=t["slug"], id=t["slug"], **t) for t in org["tenants"]}
targets = {c["cid"]: Obj(c["cid"], pk=c["cid"], id=c["cid"], **{**c, "tenant": tenants.get(c.get("tenant"))})
           for c in circuits["circuits"]}

template = templates["templates"][0]


def read_template(key):
    with open(os.path.join(root, template[key]), encoding="utf-8") as f:
        return f.read()


env = jinja2.Environment()
env.filters["ical_datetime"] = ical_datetime
subject_t = env.from_string(template["subject_template"])
body_t = env.from_string(read_template("body_template_file"))
ical_t = env.from_string(read_template("ical_template_file"))

LEVELS = ["NO-IMPACT", "REDUCED-REDUNDANCY", "DEGRADED", "OUTAGE"]


def normalize_ical(text):
    """SPEC §2.8, written independently: unfold nothing, strip, drop blanks, CRLF, fold at 75 octets."""
    lines = [l.lstrip() for l in re.split(r"\r\n|\r|\n", text)]
    result = []
    for line in (l for l in lines if l.strip()):
        data = line.encode("utf-8")
        first, limit = True, 75
        while len(data) > limit:
            cut = limit
            while cut > 0 and (data[cut] & 0xC0) == 0x80:
                cut -= 1
            result.append((b"" if first else b" ") + data[:cut])
            data, first, limit = data[cut:], False, 74
        result.append((b"" if first else b" ") + data)
    return b"".join(l + b"\r\n" for l in result)


manifest = json.load(open(os.path.join(out, "manifest.json"), encoding="utf-8"))
by_id = {m["id"]: m for m in manifest["messages"]}
expected_ids = []
problems = []
for ev in events["maintenances"]:
    maintenance = Obj(ev["name"], pk=ev["id"], id=ev["id"], name=ev["name"], status=ev["status"],
                      summary=ev.get("summary", ""), start=when(ev["start"]), end=when(ev["end"]),
                      provider=providers[ev["provider"]],
                      get_absolute_url=URL(f"/plugins/notices/maintenances/{ev['id']}/"))
    impacts = [Obj(f"{ev['name']} - {i['circuit']}", target=targets[i["circuit"]], impact=i.get("impact"))
               for i in ev["impacts"]]
    groups = {}
    for impact in impacts:
        groups.setdefault(impact.target.tenant.slug, []).append(impact)
    for slug, group in groups.items():
        mid = f"maintenance-{ev['id']}--{slug}".lower()
        expected_ids.append(mid)
        entry = by_id.get(mid)
        if entry is None:
            problems.append(f"{mid}: missing from the manifest")
            continue
        ctx = {"maintenance": maintenance, "event": maintenance, "event_type": "maintenance",
               "tenant": tenants[slug], "impacts": group, "tenant_impacts": group,
               "now": when(entry["rendered_at"]), "netbox_url": settings.get("netbox_url", ""),
               "message_sequence": entry["sequence"],
               "highest_impact": max((i.impact for i in group if i.impact), key=LEVELS.index, default="NO-IMPACT")}
        folder = os.path.join(out, "messages", mid)

        def got(name):
            with open(os.path.join(folder, name), "rb") as f:
                return f.read()

        want = {
            "subject": " ".join(subject_t.render(**ctx).split()).encode("utf-8"),
            "body.txt": body_t.render(**ctx).encode("utf-8"),
            "invite.ics": normalize_ical(ical_t.render(**ctx)),
        }
        for name, data in want.items():
            if got(name) != data:
                problems.append(f"{mid}/{name} differs from Python Jinja2:\n  ours:   {got(name)!r}\n  Jinja2: {data!r}")
extra = sorted(set(by_id) - set(expected_ids))
if extra:
    problems.append(f"messages Python does not expect: {extra}")
for p in problems:
    print(p)
print(f"compared {len(expected_ids)} messages with Python Jinja2: {len(problems)} problems")
sys.exit(1 if problems else 0)
