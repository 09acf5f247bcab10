#!/usr/bin/env python3
"""Checks rendered output with consumers nobody on this project wrote:

* every invite.ics: Python `icalendar` parses it; `circuit-maintenance-parser`
  (generic provider, iCal data) reads account, maintenance id, circuits with impact
  (none for a CANCELLED maintenance), status, start and end that match the event as
  the message was rendered (its message.json `event_snapshot`, else the example's
  data); CRLF endings, no blank line, no line over 75 octets;
* every message.eml: Python's `email` (policy=default) parses it without defects, and
  its parts decode to exactly body.txt, body.html and invite.ics.

Usage: check_outputs.py EXAMPLE_ROOT   (prints one line per problem; exit 1 if any)
"""
import datetime
import email
import glob
import json
import os
import sys
from email import policy

import icalendar
import yaml
from circuit_maintenance_parser import NotificationData, init_provider

root = sys.argv[1]
out = os.path.join(root, "out", "messages")
problems = []


def records(collection):
    found = []
    for path in sorted(glob.glob(os.path.join(root, "**", "*.yaml"), recursive=True)):
        if "/out/" in path or path.endswith("notices.yaml"):
            continue
        for doc in yaml.safe_load_all(open(path, encoding="utf-8")):
            if isinstance(doc, dict) and collection in doc:
                found += doc[collection] or []
    return found


def utc(value):
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)  # the example's timezone is UTC
    return int(value.timestamp())


events = {m["id"]: m for m in records("maintenances")}
tenants = {t["slug"]: t.get("name", t["slug"]) for t in records("tenants")}
checked_ics = checked_eml = 0

for folder in sorted(glob.glob(os.path.join(out, "*"))):
    name = os.path.basename(folder)
    meta = json.load(open(os.path.join(folder, "message.json"), encoding="utf-8"))
    ics_path = os.path.join(folder, "invite.ics")
    if os.path.exists(ics_path):
        checked_ics += 1
        raw = open(ics_path, "rb").read()
        lines = raw.split(b"\r\n")
        if not raw.endswith(b"\r\n") or b"\n" in raw.replace(b"\r\n", b""):
            problems.append(f"{name}: line endings are not all CRLF")
        if any(line == b"" for line in lines[:-1]):
            problems.append(f"{name}: blank line")
        if any(len(line) > 75 for line in lines):
            problems.append(f"{name}: line over 75 octets")
        icalendar.Calendar.from_ical(raw)
        parsed = init_provider("genericprovider").get_maintenances(NotificationData.init_from_raw("ical", raw))
        if len(parsed) != 1:
            problems.append(f"{name}: circuit-maintenance-parser found {len(parsed)} maintenances")
            continue
        m = parsed[0]
        # An earlier revision shows the event as it was then.
        event = dict(events[meta["event"]["id"]], **(meta.get("event_snapshot") or {}))
        tenant = tenants.get(meta["tenant"], "all") if meta["tenant"] else "all"
        # BCOP: an OBJECT-ID without its own X-MAINTNOTE-OBJECT-IMPACT takes the event's
        # X-MAINTNOTE-IMPACT (the netbox-notices documentation template writes it so).
        per_object = b"X-MAINTNOTE-OBJECT-IMPACT=" in raw.replace(b"\r\n ", b"")
        levels = ["NO-IMPACT", "REDUCED-REDUNDANCY", "DEGRADED", "OUTAGE"]
        worst = max((i["impact"] or "NO-IMPACT" for i in meta["impacts"]), key=levels.index)
        expected = {
            "account": tenant,
            "maintenance_id": event.get("name", event["id"]),
            "status": event["status"] if event["status"] != "UNKNOWN" else "TENTATIVE",
            "start": utc(event["start"]),
            "end": utc(event["end"]),
            "circuits": [] if event["status"] == "CANCELLED"
            else sorted((i["id"], i["impact"] or "NO-IMPACT") for i in meta["impacts"]) if per_object
            else sorted((i["id"], worst) for i in meta["impacts"]),
        }
        got = {
            "account": m.account, "maintenance_id": m.maintenance_id, "status": m.status.value,
            "start": m.start, "end": m.end, "circuits": sorted((c.circuit_id, c.impact.value) for c in m.circuits),
        }
        for key, value in expected.items():
            if got[key] != value:
                problems.append(f"{name}: circuit-maintenance-parser read {key}={got[key]!r}, expected {value!r}")
    eml_path = os.path.join(folder, "message.eml")
    if os.path.exists(eml_path):
        checked_eml += 1
        msg = email.message_from_bytes(open(eml_path, "rb").read(), policy=policy.default)
        defects = list(msg.defects) + [d for part in msg.walk() for d in part.defects]
        if defects:
            problems.append(f"{name}: email defects {defects}")
        subject = open(os.path.join(folder, "subject"), encoding="utf-8").read()
        if msg["Subject"] != subject:
            problems.append(f"{name}: Subject {msg['Subject']!r} != {subject!r}")
        want = {"text/plain": "body.txt", "text/html": "body.html", "text/calendar": "invite.ics"}
        for part in msg.walk():
            file = want.get(part.get_content_type())
            if not file:
                continue
            content = part.get_content()
            expected = open(os.path.join(folder, file), encoding="utf-8", newline="").read()
            # Mail text travels with CRLF line ends; compare line by line.
            if content.replace("\r\n", "\n") != expected.replace("\r\n", "\n"):
                problems.append(f"{name}: the {part.get_content_type()} part differs from {file}")

for p in problems:
    print(p)
print(f"checked {checked_ics} invites and {checked_eml} e-mails: {len(problems)} problems")
sys.exit(1 if problems else 0)
