#!/usr/bin/env python3
"""Renders the example templates of the netbox-notices documentation (maintenance
subject, body and BCOP iCal, verbatim) with Python Jinja2 and writes the expected
outputs to Fixtures/netbox_docs.json for NetboxDocsTemplateTests.swift.

The context mirrors what the plugin passes: objects with attributes, timezone-aware
datetimes, and the plugin's ical_datetime filter.
"""
import datetime
import json
import os

import sys

import jinja2

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Support"))
from plugin_objects import URL, UTC, Obj, ical_datetime  # noqa: E402

SUBJECT = "[{{ maintenance.status }}] {{ maintenance.provider.name }} Maintenance: {{ maintenance.name }}"

BODY = """# Maintenance Notification

**Provider:** {{ maintenance.provider.name }}
**Maintenance ID:** {{ maintenance.name }}
**Status:** {{ maintenance.status }}

## Schedule

- **Start:** {{ maintenance.start }}
- **End:** {{ maintenance.end }}

## Affected Services

{% for impact in tenant_impacts %}
- {{ impact.target }} ({{ impact.impact }})
{% endfor %}

## Summary

{{ maintenance.summary }}

---
This is an automated notification from NetBox.
View details: {{ netbox_url }}{{ maintenance.get_absolute_url }}
"""

ICAL = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//YourCompany//netbox-notices//EN
METHOD:REQUEST
BEGIN:VEVENT
DTSTAMP:{{ now|ical_datetime }}
DTSTART:{{ maintenance.start|ical_datetime }}
DTEND:{{ maintenance.end|ical_datetime }}
UID:{{ maintenance.pk }}-{{ tenant.pk }}@yourcompany.com
SUMMARY:{{ maintenance.name }} - {{ maintenance.provider.name }}
DESCRIPTION:{{ maintenance.summary | replace('\\n', '\\\\n') }}
ORGANIZER;CN="{{ maintenance.provider.name }}":mailto:noc@yourcompany.com
SEQUENCE:{{ message_sequence|default(0) }}
X-MAINTNOTE-PROVIDER:{{ maintenance.provider.slug }}
X-MAINTNOTE-ACCOUNT:{{ tenant.name }}
X-MAINTNOTE-MAINTENANCE-ID;X-MAINTNOTE-PRECEDENCE=PRIMARY:{{ maintenance.name }}
{% for impact in tenant_impacts %}
X-MAINTNOTE-OBJECT-ID:{{ impact.target }}
{% endfor %}
X-MAINTNOTE-IMPACT:{{ highest_impact }}
X-MAINTNOTE-STATUS:{{ maintenance.status }}
END:VEVENT
END:VCALENDAR
"""




def context():
    provider = Obj("Zayo", name="Zayo", slug="zayo")
    maintenance = Obj("TTN-0004567890", pk=42, name="TTN-0004567890", status="CONFIRMED",
                      summary="Fibre splice work, Amsterdam; Frankfurt.\nTwo short hits expected.",
                      start=datetime.datetime(2026, 1, 22, 14, 30, tzinfo=UTC),
                      end=datetime.datetime(2026, 1, 22, 18, 0, tzinfo=UTC), provider=provider,
                      get_absolute_url=URL("/plugins/notices/maintenances/42/"))
    tenant = Obj("ACME Corp", pk=7, name="ACME Corp", slug="acme")
    impacts = [Obj("x", target=Obj("ZAYO-100231"), impact="OUTAGE"),
               Obj("y", target=Obj("ZAYO-100232"), impact="REDUCED-REDUNDANCY")]
    return {"maintenance": maintenance, "tenant": tenant, "tenant_impacts": impacts, "impacts": impacts,
            "now": datetime.datetime(2026, 1, 20, 9, 15, 30, tzinfo=UTC), "netbox_url": "https://netbox.example.com",
            "message_sequence": 1, "highest_impact": "OUTAGE"}




env = jinja2.Environment()
env.filters["ical_datetime"] = ical_datetime
ctx = context()
out = {name: {"template": src, "expected": env.from_string(src).render(**ctx)}
       for name, src in [("subject", SUBJECT), ("body", BODY), ("ical", ICAL)]}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Fixtures", "netbox_docs.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(out, f, indent=1, ensure_ascii=False, sort_keys=True)
    f.write("\n")
print("written", path)
