#!/usr/bin/env python3
"""Checks every message of an event's life with consumers nobody on this project wrote.

For each message folder under ROOT/out/messages (first notices and revisions):

* invite.ics: Python `icalendar` parses it; `circuit-maintenance-parser` reads one
  maintenance whose status is the event's BCOP status when the message was rendered
  (UNKNOWN is TENTATIVE), with no circuits when CANCELLED and the message's impacts
  otherwise; RFC 5546 (iTIP): METHOD is REQUEST or CANCEL with one ORGANIZER (the
  organization's e-mail of notices.yaml) and an ATTENDEE per recipient (CN, RSVP=FALSE,
  mailto: the recipient's address; a message without recipients is never sent); CANCEL exactly when the event is CANCELLED or
  RE-SCHEDULED, with STATUS:CANCELLED; one UID for the whole lineage; SEQUENCE is the
  message's sequence - 1;
* message.eml: Python's `email` (policy=default) parses it without defects; its
  Message-ID is <ID@domain>; the calendar part's `method=` equals the iCal METHOD; a
  revision's In-Reply-To is the previous revision's Message-ID (as that message.eml
  has it) and its References are every earlier revision's, oldest first; a first
  notice has neither.

The event's status when a message was rendered is the `event_snapshot` of its
message.json; for the latest message of a lineage it is checked against the data
files too.

Usage: check_lifecycle.py ROOT   (one line per problem, then a summary with the
(kind, status, sequence) combinations seen; exit 1 if any problem)
"""
import email
import glob
import json
import os
import re
import sys
from email import policy

import icalendar
import yaml
from circuit_maintenance_parser import NotificationData, init_provider

root = sys.argv[1]
out = os.path.join(root, "out")
problems = []
settings = yaml.safe_load(open(os.path.join(root, "notices.yaml"), encoding="utf-8")) or {}
organization = settings.get("organization") or {}
domain = organization.get("domain") or (organization.get("email") or "").rpartition("@")[2] or "notices.invalid"
manifest = json.load(open(os.path.join(out, "manifest.json"), encoding="utf-8"))
entries = {e["id"]: e for e in manifest["messages"]}
latest = {}
for e in manifest["messages"]:
    if e["sequence"] > latest.get(e["lineage"], {"sequence": 0})["sequence"]:
        latest[e["lineage"]] = e


class Loader(yaml.SafeLoader):
    """Timestamps stay text, as notices reads them."""


Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
events = {}
for path in sorted(glob.glob(os.path.join(root, "**", "*.yaml"), recursive=True)):
    if "/out/" in path or path.endswith("notices.yaml"):
        continue
    for doc in yaml.load_all(open(path, encoding="utf-8"), Loader=Loader):
        for kind in ("maintenances", "outages"):
            for record in (doc or {}).get(kind) or []:
                events[(kind[:-1], str(record["id"]))] = record


def message_id_of(entry_id):
    path = os.path.join(out, "messages", entry_id, "message.eml")
    if not os.path.exists(path):
        return None
    return email.message_from_bytes(open(path, "rb").read(), policy=policy.default)["Message-ID"]


def revision_id(lineage, sequence):
    return lineage if sequence == 1 else f"{lineage}--{sequence}"


uids = {}
seen = set()
checked_ics = checked_eml = 0
for folder in sorted(glob.glob(os.path.join(out, "messages", "*"))):
    name = os.path.basename(folder)
    entry = entries.get(name)
    if entry is None:
        problems.append(f"{name}: not in the manifest")
        continue
    meta = json.load(open(os.path.join(folder, "message.json"), encoding="utf-8"))
    snapshot = meta.get("event_snapshot")
    if meta["event"] is None or snapshot is None:
        continue
    kind, sequence = meta["event"]["type"], meta["sequence"]
    status = snapshot["status"]
    if latest[entry["lineage"]]["id"] == name:
        current = events[(kind, meta["event"]["id"])]["status"]
        if current != status:
            problems.append(f"{name}: snapshot status {status}, the data says {current}")
    seen.add((kind, status, min(sequence, 2)))
    recipients = json.load(open(os.path.join(folder, "recipients.json"), encoding="utf-8"))
    method = None
    ics_path = os.path.join(folder, "invite.ics")
    if os.path.exists(ics_path):
        checked_ics += 1
        raw = open(ics_path, "rb").read()
        calendar = icalendar.Calendar.from_ical(raw)
        method = str(calendar.get("METHOD", ""))
        vevent = next(c for c in calendar.walk() if c.name == "VEVENT")
        organizers = vevent.get("ORGANIZER")
        attendees = vevent.get("ATTENDEE", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        cancel = status in ("CANCELLED", "RE-SCHEDULED")
        if method != ("CANCEL" if cancel else "REQUEST"):
            problems.append(f"{name}: METHOD {method!r} for a {status} event")
        if organizers is None or isinstance(organizers, list):
            problems.append(f"{name}: expected one ORGANIZER, found {organizers!r}")
        elif str(organizers).lower() != "mailto:" + organization.get("email", "").lower():
            problems.append(f"{name}: ORGANIZER {str(organizers)!r} is not the organization's e-mail")
        # A message without recipients cannot be approved, so it is never sent.
        if not attendees and recipients:
            problems.append(f"{name}: METHOD:{method} without ATTENDEE")
        for a in attendees:
            if not a.params.get("CN") or a.params.get("RSVP") != "FALSE" or not str(a).lower().startswith("mailto:"):
                problems.append(f"{name}: ATTENDEE {str(a)!r} lacks CN, RSVP=FALSE or mailto: ({dict(a.params)})")
        if sorted(str(a)[7:].lower() for a in attendees) != sorted(r["email"].lower() for r in recipients):
            problems.append(f"{name}: attendees {[str(a) for a in attendees]} are not the recipients")
        if cancel and str(vevent.get("STATUS")) != "CANCELLED":
            problems.append(f"{name}: METHOD:CANCEL without STATUS:CANCELLED")
        if not cancel and str(vevent.get("STATUS")) == "CANCELLED":
            problems.append(f"{name}: STATUS:CANCELLED in a {status} event")
        if int(vevent.get("SEQUENCE")) != sequence - 1:
            problems.append(f"{name}: SEQUENCE {vevent.get('SEQUENCE')} in message {sequence}")
        uid = str(vevent.get("UID"))
        if uids.setdefault(entry["lineage"], uid) != uid:
            problems.append(f"{name}: UID {uid} differs from the lineage's {uids[entry['lineage']]}")
        parsed = init_provider("genericprovider").get_maintenances(NotificationData.init_from_raw("ical", raw))
        if len(parsed) != 1:
            problems.append(f"{name}: circuit-maintenance-parser found {len(parsed)} maintenances")
        else:
            m = parsed[0]
            bcop = "TENTATIVE" if status == "UNKNOWN" else status
            if m.status.value != bcop:
                problems.append(f"{name}: circuit-maintenance-parser read status {m.status.value}, expected {bcop}")
            circuits = sorted((c.circuit_id, c.impact.value) for c in m.circuits)
            wanted = [] if status == "CANCELLED" else sorted((i["id"], i["impact"] or "NO-IMPACT") for i in meta["impacts"])
            if circuits != wanted:
                problems.append(f"{name}: circuit-maintenance-parser read circuits {circuits}, expected {wanted}")
            if m.uid != uid or m.sequence != sequence - 1:
                problems.append(f"{name}: circuit-maintenance-parser read uid {m.uid} sequence {m.sequence}")
    eml_path = os.path.join(folder, "message.eml")
    if os.path.exists(eml_path):
        checked_eml += 1
        msg = email.message_from_bytes(open(eml_path, "rb").read(), policy=policy.default)
        defects = list(msg.defects) + [d for part in msg.walk() for d in part.defects]
        if defects:
            problems.append(f"{name}: email defects {defects}")
        if msg["Message-ID"] != f"<{name}@{domain}>":
            problems.append(f"{name}: Message-ID {msg['Message-ID']!r}")
        for part in msg.walk():
            if part.get_content_type() == "text/calendar" and part.get_param("method") != method:
                problems.append(f"{name}: calendar part method={part.get_param('method')!r}, iCal METHOD {method!r}")
        earlier = [message_id_of(revision_id(entry["lineage"], n)) for n in range(1, sequence)]
        if sequence == 1:
            if msg["In-Reply-To"] is not None or msg["References"] is not None:
                problems.append(f"{name}: a first notice with In-Reply-To/References")
        else:
            if None in earlier:
                problems.append(f"{name}: an earlier revision has no message.eml")
            if msg["In-Reply-To"] != earlier[-1]:
                problems.append(f"{name}: In-Reply-To {msg['In-Reply-To']!r}, the previous revision is {earlier[-1]!r}")
            if re.split(r"\s+", str(msg["References"]).strip()) != earlier:
                problems.append(f"{name}: References {msg['References']!r}, expected {earlier}")

for p in problems:
    print(p)
print("seen: " + ", ".join(f"{k} {s} {'revision' if n == 2 else 'first'}" for k, s, n in sorted(seen)))
print(f"checked {checked_ics} invites and {checked_eml} e-mails: {len(problems)} problems")
sys.exit(1 if problems else 0)
