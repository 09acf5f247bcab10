#!/usr/bin/env python3
"""The yardstick for `notices render` (issue 17): the same job done the way someone
without the tool would do it, in one Python process with PyYAML, Jinja2, cmarkgfm,
hashlib and json. It reads an input tree (SPEC §1) and writes the output folder that
`notices render ROOT --now NOW --out OUT` writes into an empty folder: the same
message folders, files and manifest.json, byte for byte.

    render_peer.py ROOT --out OUT --now 2026-11-29T08:00:00Z

It assumes a valid tree (run `notices validate` first) and a fresh output folder: no
revisions, no lifecycle, no message.eml, no error reporting beyond a traceback.
"""
import argparse
import datetime as dt
import hashlib
import html
import json
import os
import re
import sys
from zoneinfo import ZoneInfo

import cmarkgfm
import jinja2
import yaml
from cmarkgfm.cmark import Options
from markupsafe import Markup, escape

UTC = dt.timezone.utc

# ------------------------------------------------------------------------- loading
# Text fields take a YAML scalar as written (`no`, `0012` stay text), so plain scalars
# are kept as `Plain` strings; free-form data (custom_fields, vars, extra inventory
# fields) resolves them with the YAML 1.2 core schema.


class Plain(str):
    """An unquoted YAML scalar."""


class TreeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """PyYAML's safe loader (libyaml when available) that types no plain scalar."""
    yaml_implicit_resolvers = {}


TreeLoader.add_implicit_resolver("!plain", re.compile(r".*", re.S), None)
TreeLoader.add_constructor("!plain", lambda loader, node: Plain(loader.construct_scalar(node)))

NULLS = {"", "~", "null", "Null", "NULL"}
CORE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
SPECIAL_FLOATS = {**dict.fromkeys([".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"], float("inf")),
                  **dict.fromkeys(["-.inf", "-.Inf", "-.INF"], float("-inf")),
                  **dict.fromkeys([".nan", ".NaN", ".NAN"], float("nan"))}


def absent(v):
    return v is None or (type(v) is Plain and v in NULLS)


def core_int(s):
    body = s[1:] if s[:1] in "+-" else s
    if body.startswith("0x"):
        n = int(body[2:], 16) if re.fullmatch(r"[0-9a-fA-F]+", body[2:]) else None
    elif body.startswith("0o"):
        n = int(body[2:], 8) if re.fullmatch(r"[0-7]+", body[2:]) else None
    else:
        n = int(body) if re.fullmatch(r"[0-9]+", body) else None
    return None if n is None else (-n if s.startswith("-") else n)


def core(v):
    """Free-form data with the YAML 1.2 core schema."""
    if isinstance(v, dict):
        return {str(k): core(x) for k, x in v.items()}
    if isinstance(v, list):
        return [core(x) for x in v]
    if type(v) is not Plain:
        return v
    s = str(v)
    if s in NULLS:
        return None
    if s in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return s.lower() == "true"
    if s in SPECIAL_FLOATS:
        return SPECIAL_FLOATS[s]
    n = core_int(s)
    if n is not None:
        return n
    return float(s) if CORE_FLOAT.match(s) else s


def text(rec, key, default=None):
    v = rec.get(key)
    if absent(v):
        return default
    if isinstance(v, bool):  # JSON true/false in a text field
        return "true" if v else "false"
    return str(v)


def flag(rec, key):
    v = rec.get(key)
    return False if absent(v) else (v is True or str(v) in ("true", "True", "TRUE"))


def number(rec, key, default):
    v = rec.get(key)
    return default if absent(v) else (v if isinstance(v, int) else core_int(str(v)))


def timestamp(s, zone):
    """ISO 8601; without an offset, read in the settings' zone (earlier offset on a DST fold)."""
    t = dt.datetime.fromisoformat(s)
    return (t if t.tzinfo else t.replace(tzinfo=zone)).astimezone(UTC)


def read_documents(root, rel):
    path = os.path.join(root, rel)
    with open(path, encoding="utf-8") as f:
        if rel.lower().endswith(".json"):
            return [json.load(f, parse_int=Plain, parse_float=Plain)]  # numbers as written, like YAML plain scalars
        return [d for d in yaml.load_all(f, Loader=TreeLoader) if d is not None]


def data_files(root, output, only):
    found = []
    for d, dirs, files in os.walk(root):
        rel_dir = os.path.relpath(d, root)
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        dirs[:] = [x for x in dirs if not x.startswith(".") and rel_dir + x != output]
        for name in files:
            rel = rel_dir + name
            if name.startswith(".") or rel == "notices.yaml" or name.rsplit(".", 1)[-1].lower() not in ("yaml", "yml", "json"):
                continue
            if only is not None and not any(p in (".", "") or rel == p or rel.startswith(p + "/") for p in only):
                continue
            found.append(rel)
    return sorted(found)


def slugify(value):
    """Django's slugify, for contacts without id and email."""
    import unicodedata
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value.lower())
    return re.sub(r"[-\s]+", "-", value).strip("-_")


TARGET_KEYS = ["circuit", "device", "site", "virtual_machine", "power_feed", "object"]
INVENTORY = {"circuits": ("circuit", "cid"), "devices": ("device", "name"), "sites": ("site", "slug"),
             "virtual_machines": ("virtual_machine", "name"), "power_feeds": ("power_feed", "name"),
             "objects": (None, "id")}
SEVERITY = {"NO-IMPACT": 0, "REDUCED-REDUNDANCY": 1, "DEGRADED": 2, "OUTAGE": 3}
PRIORITY_RANK = {"primary": 0, "secondary": 1, "tertiary": 2, None: 3}


def load(root, out=None):
    """The model; `out` (the output folder, when not the settings' one) is not read."""
    settings = {}
    if os.path.exists(os.path.join(root, "notices.yaml")):
        settings = (read_documents(root, "notices.yaml") or [{}])[0]
    out_name = os.path.relpath(out, root) if out else os.path.normpath(text(settings, "output", "out"))
    zone = ZoneInfo(text(settings, "timezone", "UTC"))
    m = {"settings": settings, "providers": {}, "tenants": {}, "objects": {}, "contacts": {}, "assignments": [],
         "events": {}, "templates": {}, "messages": [], "loose_impacts": []}
    only = [os.path.normpath(str(p)) for p in settings["paths"]] if settings.get("paths") else None

    def impact(rec, kind=None, event_id=None):
        key = next(k for k in TARGET_KEYS if not absent(rec.get(k)))
        target = (text(rec[key], "type"), text(rec[key], "id")) if key == "object" else (key, text(rec, key))
        if event_id is None:
            kind = "maintenance" if not absent(rec.get("maintenance")) else "outage"
            event_id = text(rec, kind)
        return {"event": (kind, event_id), "target": target, "level": text(rec, "impact"),
                "notify": absent(rec.get("notify")) or flag(rec, "notify")}

    def source(rec, field, rel):
        path = text(rec, field + "_file")
        if path is None:
            return text(rec, field)
        with open(os.path.join(root, os.path.dirname(rel), path), encoding="utf-8", newline="") as f:
            return f.read()

    for rel in data_files(root, out_name, only):
        for doc in read_documents(root, rel):
            for collection, records in doc.items():
                for r in records or []:
                    if collection in ("providers", "tenants"):
                        slug = text(r, "slug")
                        m[collection].setdefault(slug, {
                            "slug": slug, "name": text(r, "name", slug), "group": text(r, "group", ""),
                            "description": text(r, "description", ""), "custom_fields": core(r.get("custom_fields") or {})})
                    elif collection in INVENTORY:
                        type_name, key_field = INVENTORY[collection]
                        type_name = type_name or text(r, "type")
                        key = text(r, key_field)
                        name = text(r, "name")
                        display = name if collection in ("sites", "objects") and name else key
                        fields = {k: (None if absent(v) else str(v)) if k in (key_field, "type", "tenant", "site", "provider", "name", "description")
                                  else core(v) for k, v in ((str(k), v) for k, v in r.items())}
                        m["objects"].setdefault((type_name, key), {"ref": (type_name, key), "fields": fields, "display": display,
                                                                   "tenant": text(r, "tenant"), "site": text(r, "site"),
                                                                   "provider": text(r, "provider")})
                    elif collection == "contacts":
                        email = text(r, "email", "")
                        cid = text(r, "id") or (email or slugify(text(r, "name")))
                        m["contacts"].setdefault(cid, {"id": cid, "name": text(r, "name"), "email": email,
                                                       "phone": text(r, "phone", ""), "title": text(r, "title", ""),
                                                       "description": text(r, "description", ""),
                                                       "custom_fields": core(r.get("custom_fields") or {})})
                        for a in r.get("assignments") or []:
                            m["assignments"].append((cid, text(a, "tenant"), text(a, "role"), text(a, "priority")))
                    elif collection == "contact_assignments":
                        m["assignments"].append((text(r, "contact"), text(r, "tenant"), text(r, "role"), text(r, "priority")))
                    elif collection in ("maintenances", "outages"):
                        kind = collection[:-1]
                        eid = text(r, "id")
                        e = {"kind": kind, "id": eid, "name": text(r, "name", eid), "summary": text(r, "summary"),
                             "provider": text(r, "provider"), "status": text(r, "status"),
                             "original_timezone": text(r, "original_timezone", ""), "internal_ticket": text(r, "internal_ticket", ""),
                             "acknowledged": flag(r, "acknowledged"), "comments": text(r, "comments", ""),
                             "impact": text(r, "impact", ""), "replaces": text(r, "replaces"),
                             "custom_fields": core(r.get("custom_fields") or {}),
                             "notify": absent(r.get("notify")) or flag(r, "notify")}
                        for f in ("start", "end", "reported_at", "estimated_time_to_repair"):
                            e[f] = timestamp(text(r, f), zone) if text(r, f) else None
                        if kind == "outage" and e["reported_at"] is None:
                            e["reported_at"] = e["start"]
                        e["impacts"] = [impact(i, kind, eid) for i in r.get("impacts") or []]
                        m["events"].setdefault((kind, eid), e)
                    elif collection == "impacts":
                        m["loose_impacts"].append(impact(r))
                    elif collection == "templates":
                        slug = text(r, "slug")
                        m["templates"].setdefault(slug, {
                            "slug": slug, "name": text(r, "name", slug), "description": text(r, "description", ""),
                            "event_type": text(r, "event_type"), "granularity": text(r, "granularity"),
                            "subject": source(r, "subject_template", rel), "body": source(r, "body_template", rel),
                            "css": source(r, "css_template", rel), "ical": source(r, "ical_template", rel),
                            "body_format": text(r, "body_format"),
                            "headers": [(str(k), str(v)) for k, v in (r.get("headers_template") or {}).items()],
                            "include_ical": flag(r, "include_ical"), "is_base": flag(r, "is_base_template"),
                            "extends": text(r, "extends"), "weight": number(r, "weight", 1000),
                            "contact_roles": [str(x) for x in r.get("contact_roles") or []],
                            "contact_priorities": [str(x) for x in r.get("contact_priorities") or []],
                            "scopes": [{"type": text(s, "type"), "object": text(s, "object"), "event_type": text(s, "event_type"),
                                        "event_status": text(s, "event_status"), "weight": number(s, "weight", 1000)}
                                       for s in r.get("scopes") or []]})
                    elif collection == "messages":
                        m["messages"].append({"id": text(r, "id"), "template": text(r, "template"),
                                              "contacts": [str(c) for c in r.get("contacts") or []], "tenant": text(r, "tenant"),
                                              "vars": core(r.get("vars") or {})})
    for i in m["loose_impacts"]:
        m["events"][i["event"]]["impacts"].append(i)
    for e in m["events"].values():
        e["impacts"] = [i for i in e["impacts"] if i["notify"]]
    return m


# ------------------------------------------------------------------------- template objects


class Record:
    """A model object as templates see it: its fields as attributes, str() its display text."""

    def __init__(self, display, fields):
        self.__dict__.update(fields)
        self._display = display

    def __str__(self):
        return self._display


class URL(str):
    """`get_absolute_url` prints the path and may also be called."""

    def __call__(self):
        return str(self)


def build_objects(m):
    providers = {s: Record(p["name"], {"pk": s, "id": s, "slug": s, "name": p["name"], "description": p["description"],
                                       "custom_fields": p["custom_fields"]}) for s, p in m["providers"].items()}
    tenants = {s: Record(t["name"], {"pk": s, "id": s, "slug": s, "name": t["name"], "group": t["group"],
                                     "description": t["description"], "custom_fields": t["custom_fields"]})
               for s, t in m["tenants"].items()}
    targets = {}
    # Sites first, so other objects can point at them.
    for o in sorted(m["objects"].values(), key=lambda o: o["ref"][0] != "site"):
        (type_name, key), f = o["ref"], {"pk": o["ref"][1], "id": o["ref"][1], "type": o["ref"][0]}
        for k, v in o["fields"].items():
            if k == "tenant":
                v = tenants.get(o["tenant"])
            elif k == "site":
                v = targets.get(("site", o["site"]))
            elif k == "provider":
                v = providers.get(o["provider"])
            f.setdefault(k, v)
        for k, v in (("tenant", None), ("site", None), ("description", ""), ("name", o["display"]), ("custom_fields", {})):
            f.setdefault(k, v)
        if type_name == "circuit":
            f.setdefault("provider", None)
        targets[(type_name, key)] = Record(o["display"], f)
    contacts = {i: Record(c["name"], {"pk": i, "id": i, **{k: c[k] for k in ("name", "email", "phone", "title", "description", "custom_fields")}})
                for i, c in m["contacts"].items()}
    return providers, tenants, targets, contacts


def build_events(m, providers, targets):
    """Every event's object and its impacts' objects (which point back at it)."""
    objects = {}
    replaced_by = {e["replaces"]: e for e in m["events"].values() if e["kind"] == "maintenance" and e["replaces"]}

    def build(ref):
        if ref in objects:
            return objects[ref][0]
        e = m["events"][ref]
        f = {"pk": e["id"], "id": e["id"], "provider": providers.get(e["provider"]), "event_type": e["kind"],
             "get_absolute_url": URL(f"/plugins/notices/{e['kind']}s/{e['id']}/")}
        for k in ("name", "summary", "start", "end", "status", "original_timezone", "internal_ticket", "acknowledged",
                  "comments", "impact", "custom_fields"):
            f[k] = e[k]
        if e["kind"] == "outage":
            f["reported_at"], f["estimated_time_to_repair"] = e["reported_at"], e["estimated_time_to_repair"]
        event = Record(e["name"], f)
        objects[ref] = (event, None)
        if e["kind"] == "maintenance":
            event.replaces = build(("maintenance", e["replaces"])) if e["replaces"] else None
            event.replaced_by = build(("maintenance", replaced_by[e["id"]]["id"])) if e["id"] in replaced_by else None
        impacts = []
        for i in e["impacts"]:
            target = targets.get(i["target"], i["target"][1])
            impacts.append(Record(f"{e['name']} - {target}", {"target": target, "impact": i["level"], "event": event,
                                                              e["kind"]: event}))
        objects[ref] = (event, impacts)
        return event

    for ref in m["events"]:
        build(ref)
    return objects


# ------------------------------------------------------------------------- selection (SPEC §2)


def scope_key(scope_type, c):
    if scope_type in ("provider", "tenant"):
        return c[scope_type]
    if scope_type in ("maintenance", "outage"):
        return c["event"][1] if c["event"] and c["event"][0] == scope_type else None
    if scope_type == "site" and not (c["target"] and c["target"][0] == "site"):
        return c["site"]
    return c["target"][1] if c["target"] and c["target"][0] == scope_type else None


def select(candidates, c):
    """Selected templates, best score first, ties by slug."""
    selected = []
    for t in candidates:
        matched = [s for s in t["scopes"] if (key := scope_key(s["type"], c)) is not None
                   and s["object"] in (None, key) and s["event_type"] in (None, "both", c["event"] and c["event"][0])
                   and s["event_status"] in (None, c["status"])]
        if not t["scopes"] or matched:
            selected.append((t["weight"] + sum(s["weight"] for s in matched), t))
    selected.sort(key=lambda st: (-st[0], st[1]["slug"]))
    return [t for _, t in selected]


def merge(selected):
    merged = {"top": selected[0], "subject": None, "body": None, "body_format": "markdown", "css": None, "ical": None,
              "extends": None, "headers": {}, "include_ical": False, "contact_roles": [], "contact_priorities": []}
    for t in selected:
        for field in ("subject", "css", "ical", "extends"):
            merged[field] = merged[field] or t[field]
        if not merged["body"] and t["body"]:
            merged["body"], merged["body_format"] = t["body"], t["body_format"] or "markdown"
        for name, value in t["headers"]:
            if name.lower() not in (n.lower() for n in merged["headers"]):
                merged["headers"][name] = value
        merged["include_ical"] = merged["include_ical"] or t["include_ical"]
        merged["contact_roles"] += [r for r in t["contact_roles"] if r not in merged["contact_roles"]]
        merged["contact_priorities"] += [p for p in t["contact_priorities"] if p not in merged["contact_priorities"]]
    return merged


def recipients_for(tenants, merged, m, assignments):
    best = {}
    roles, priorities = merged["contact_roles"], merged["contact_priorities"]
    for tenant in tenants:
        for cid, _, role, priority in assignments.get(tenant, []):
            if priority == "inactive" or (roles and role not in roles) or (priorities and priority not in priorities):
                continue
            rank = (PRIORITY_RANK[priority], tenant, role or "")
            if cid not in best or rank < best[cid][0]:
                best[cid] = (rank, role, priority, tenant)
    found = []
    for cid, (rank, role, priority, tenant) in best.items():
        c = m["contacts"].get(cid)
        if c and c["email"]:
            found.append(((rank[0], c["name"], cid), {"contact_id": cid, "name": c["name"], "email": c["email"], "role": role,
                                                      "priority": priority, "tenant": tenant}))
    return [r for _, r in sorted(found, key=lambda x: x[0])]


def sanitize(s):
    return re.sub(r"[^a-z0-9._-]", "-", s.lower())


def plan(m):
    """Every message: (lineage, event, tenant slug, impacts, per_impact target, merged template, recipients)."""
    templates = [t for t in m["templates"].values() if not t["is_base"]]
    assignments = {}
    for a in m["assignments"]:
        assignments.setdefault(a[1], []).append(a)

    def tenant_of(i):
        o = m["objects"].get(i["target"])
        return (o["tenant"] or None) if o else None

    plans = []
    for ref in sorted(m["events"]):
        e = m["events"][ref]
        if not e["impacts"] or not e["notify"]:
            continue
        kind = e["kind"]
        candidates = [t for t in templates if t["event_type"] in (kind, "both")]

        def context(tenant, target):
            site = m["objects"][target]["site"] if target in m["objects"] else None
            return {"provider": e["provider"], "event": ref, "status": e["status"], "tenant": tenant, "target": target, "site": site}

        top = select(candidates, context(None, None))
        granularity = (top[0]["granularity"] if top else None) or "per_tenant"
        if granularity == "per_event":
            tenants = list(dict.fromkeys(t for t in map(tenant_of, e["impacts"]) if t))
            groups = [(tenants[0] if len(tenants) == 1 else None, e["impacts"], None, tenants)]
        elif granularity == "per_tenant":
            by_tenant = {}
            for i in e["impacts"]:
                by_tenant.setdefault(tenant_of(i), []).append(i)
            groups = [(t, imps, None, [t] if t else []) for t, imps in by_tenant.items()]
        else:
            groups = [(tenant_of(i), [i], i["target"], [tenant_of(i)] if tenant_of(i) else []) for i in e["impacts"]]
        for tenant, impacts, target, tenants in groups:
            selected = select(candidates, context(tenant, target))
            if not selected:
                continue
            merged = merge(selected)
            lineage = f"{kind}-{e['id']}"
            if granularity == "per_tenant" and tenant:
                lineage += f"--{tenant}"
            elif granularity == "per_impact":
                lineage += f"--{target[0]}-{target[1]}"
            plans.append({"lineage": sanitize(lineage), "event": e, "tenant": tenant, "impacts": impacts, "target": target,
                          "granularity": granularity, "merged": merged,
                          "recipients": recipients_for(tenants, merged, m, assignments)})
    for msg in sorted(m["messages"], key=lambda x: x["id"]):
        t = m["templates"].get(msg["template"])
        if not t or t["event_type"] != "none":
            continue
        recipients = []
        for cid in dict.fromkeys(msg["contacts"]):
            c = m["contacts"].get(cid)
            if c and c["email"]:
                recipients.append({"contact_id": cid, "name": c["name"], "email": c["email"], "role": None, "priority": None,
                                   "tenant": msg["tenant"]})
        plans.append({"lineage": sanitize(f"message-{msg['id']}"), "event": None, "message": msg, "tenant": msg["tenant"],
                      "impacts": [], "target": None, "granularity": "per_event", "merged": merge([t]), "recipients": recipients})
    return plans


# ------------------------------------------------------------------------- rendering (SPEC §2.6–§2.8)


def as_datetime(v):
    if v is None:
        return None
    if isinstance(v, jinja2.Undefined):
        str(v)  # raises under strict_undefined
        return None
    if isinstance(v, dt.datetime):
        return v
    if isinstance(v, str):
        return timestamp(v, UTC) if v else None
    raise TypeError(f"expected a datetime, got '{type(v).__name__}'")


def ical_datetime(v):
    t = as_datetime(v)
    return t.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") if t else ""


def ical_text(v):
    if v is None:
        return ""
    s = str(v).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return s.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def markdown(text):
    # A final newline does not change the HTML, and cmark-gfm's autolink extension
    # sometimes misses a URL at the very end of the input without it.
    return cmarkgfm.markdown_to_html_with_extensions(text if text.endswith("\n") else text + "\n",
                                                     options=Options.CMARK_OPT_HARDBREAKS,
                                                     extensions=["table", "strikethrough", "autolink"])


def markdown_filter(v):
    if v is None or isinstance(v, jinja2.Undefined):
        str(v)
        return Markup("")
    return Markup(markdown(str(v)))


def localtime(v, tz="UTC"):
    zone = UTC if tz == "UTC" else ZoneInfo(tz)
    t = as_datetime(v)
    return v if t is None else t.astimezone(zone)


def make_environment(m, root):
    s = m["settings"]
    jinja = s.get("jinja") or {}
    paths = [str(p) for p in s["template_paths"]] if s.get("template_paths") is not None else (
        ["templates"] if os.path.isdir(os.path.join(root, "templates")) else [])
    bodies = {t["slug"]: t["body"] for t in m["templates"].values() if t["body"] is not None}
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.DictLoader(bodies), jinja2.FileSystemLoader([os.path.join(root, p) for p in paths])]),
        trim_blocks=flag(jinja, "trim_blocks"), lstrip_blocks=flag(jinja, "lstrip_blocks"),
        keep_trailing_newline=flag(jinja, "keep_trailing_newline"),
        undefined=jinja2.StrictUndefined if flag(s, "strict_undefined") else jinja2.Undefined)
    env.filters.update(ical_datetime=ical_datetime, ical_text=ical_text, markdown=markdown_filter, localtime=localtime)
    return env


# Unicode White_Space (SPEC §2.8 "runs of Unicode whitespace"); str.split() would also
# take the separators U+001C-U+001F.
WHITESPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
WHITESPACE_RUN = re.compile(f"[{WHITESPACE}]+")


def html_document(body, css, title):
    out = ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
           '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           f"<title>{escape(title)}</title>\n")
    if css.strip():
        out += "<style>\n" + css + ("" if css.endswith("\n") else "\n") + "</style>\n"
    return out + "</head>\n<body>\n" + body + ("" if body.endswith("\n") else "\n") + "</body>\n</html>\n"


def ical_normalize(s):
    """RFC 5545 lines: leading blanks and blank lines dropped, CRLF, folded at 75 octets."""
    out = []
    for line in re.split(r"\r\n|\r|\n", s):
        line = line.lstrip(" \t")
        if not line:
            continue
        if len(line.encode()) > 75:
            folded, count, limit = [], 0, 75
            for ch in line:
                n = len(ch.encode())
                if count + n > limit:
                    folded.append("\r\n ")
                    count, limit = 0, 74
                folded.append(ch)
                count += n
            line = "".join(folded)
        out.append(line + "\r\n")
    return "".join(out)


REQUIRED = ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "ORGANIZER", "SEQUENCE", "X-MAINTNOTE-PROVIDER",
            "X-MAINTNOTE-ACCOUNT", "X-MAINTNOTE-IMPACT"]
UTC_TIME = re.compile(r"[0-9]{8}T[0-9]{6}Z$")


def ical_problems(ics):
    """The BCOP maintnote checks of SPEC §2.8 (one calendar with one event assumed)."""
    props = []
    for line in ics.replace("\r\n ", "").split("\r\n"):
        if line:
            head, _, value = line.partition(":")
            props.append((head.split(";", 1)[0].upper(), value))
    begins = [v.upper() for n, v in props if n == "BEGIN"]
    if begins != ["VCALENDAR", "VEVENT"] or [v.upper() for n, v in props if n == "END"] != ["VEVENT", "VCALENDAR"]:
        return ["expected one VCALENDAR holding one VEVENT"]
    names = [n for n, _ in props]
    values = {n: v for n, v in props}
    problems = [f"{n}: {names.count(n)} times" for n in REQUIRED + ["VERSION", "PRODID"] if names.count(n) != 1]
    problems += [f"{n} is not a UTC date-time" for n in ("DTSTAMP", "DTSTART", "DTEND") if not UTC_TIME.match(values.get(n, ""))]
    if values.get("DTEND", "") <= values.get("DTSTART", ""):
        problems.append("DTEND is not after DTSTART")
    if not re.fullmatch(r"\s*[-+]?[0-9]+\s*", values.get("SEQUENCE", "")):
        problems.append("SEQUENCE is not an integer")
    if "X-MAINTNOTE-MAINTENANCE-ID" not in values:
        problems.append("missing X-MAINTNOTE-MAINTENANCE-ID")
    if values.get("X-MAINTNOTE-IMPACT") not in SEVERITY:
        problems.append("bad X-MAINTNOTE-IMPACT")
    status = [v for n, v in props if n == "X-MAINTNOTE-STATUS"]
    if len(status) > 1 or status and status[0] not in ("TENTATIVE", "CONFIRMED", "CANCELLED", "IN-PROCESS", "COMPLETED", "RE-SCHEDULED"):
        problems.append("bad X-MAINTNOTE-STATUS")
    if "X-MAINTNOTE-OBJECT-ID" not in values and status[:1] not in (["CANCELLED"], ["COMPLETED"]):
        problems.append("missing X-MAINTNOTE-OBJECT-ID")
    problems += [f"{n} is empty" for n, v in props if n.startswith("X-MAINTNOTE-") and not v.strip()]
    return problems


def html_to_text(h):
    """A readable text form of an HTML body: blocks become line breaks, links keep their URL."""
    out, i, skip, hrefs, links, pre = "", 0, None, [], [], 0

    def emit(s):
        nonlocal out
        if links:
            links[-1] += s
        else:
            out += s

    def newline(n=1):
        nonlocal out
        if links:
            return
        trailing = out[len(out.rstrip("\n ")):].count("\n")
        out = out.rstrip(" ")
        if out:
            out += "\n" * max(0, n - trailing)

    while i < len(h):
        if h[i] == "<":
            if h.startswith("<!--", i):
                end = h.find("-->", i)
                i = len(h) if end < 0 else end + 3
                continue
            close = h.find(">", i)
            if close < 0:
                emit(h[i:])
                break
            tag, i = h[i + 1:close], close + 1
            is_end = tag.startswith("/")
            name = re.match(r"[^\W_]*", tag.lstrip("/")).group().lower()
            if skip:
                skip = None if is_end and name == skip else skip
                continue
            if not is_end and name in ("script", "style", "head"):
                skip = name
            elif name == "br":
                if links:
                    emit(" ")
                else:
                    out = out.rstrip(" ") + "\n"
            elif name == "a" and is_end:
                label = links.pop().strip(" \t") if links else ""
                url = hrefs.pop() if hrefs else None
                if url and url != label and not url.startswith("#"):
                    shown = label if url.startswith("mailto:") and label == url[7:] else url
                    emit(f"{label} ({shown})" if label else url)
                else:
                    emit(label)
            elif name == "a":
                m = re.search("href=", tag, re.I)
                href = None
                if m:
                    rest = tag[m.end():]
                    href = rest[1:].split(rest[0], 1)[0] if rest[:1] in ('"', "'") else re.match(r"[^\s>]*", rest).group()
                hrefs.append(None if href is None else entities(href))
                links.append("")
            elif name == "li":
                newline()
                if not is_end:
                    emit("- ")
            elif name in ("td", "th"):
                if not is_end and out and out[-1] != "\n":
                    emit(" | ")
            elif name == "pre":
                pre += -1 if is_end else 1
                newline(2)
            elif name == "hr":
                newline(2)
                emit("---")
                newline(2)
            elif name in ("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "table", "ul", "ol", "blockquote", "section",
                          "article", "header", "footer", "title", "dl"):
                newline(2)
            elif name in ("tr", "dt", "dd", "thead", "tbody", "tfoot"):
                newline()
            continue
        if skip:
            i += 1
            continue
        j = h.find("<", i)
        j = len(h) if j < 0 else j
        s = entities(h[i:j])
        if pre == 0:
            collapsed, space = "", False
            for ch in s.replace("\r\n", " "):
                if ch in WHITESPACE and ch != "\xa0":
                    space = True
                    continue
                if space and not (not collapsed and (links[-1] if links else out)[-1:] in ("\n", "")):
                    collapsed += " "
                space = False
                collapsed += ch
            if space and collapsed:
                collapsed += " "
            elif space and (links[-1] if links else out)[-1:] not in ("\n", " ", ""):
                collapsed = " "
            s = collapsed
        emit(s)
        i = j
    result = "\n".join(line.rstrip(" ") for line in out.split("\n")).strip("\n")
    result = re.sub(r"\n{3,}", "\n\n", result)
    return result + "\n" if result else ""


def entities(s):
    return html.unescape(s).replace("\xa0", " ")


# ------------------------------------------------------------------------- messages and output (SPEC §3)


def dumps(value):
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def settings_value(s):
    """The read-only `settings` variable, and the domain of Message-IDs."""
    org = s.get("organization") or {}
    email, sender = text(org, "email", ""), text(s.get("eml") or {}, "from", "")
    domain = text(org, "domain") or (email.rpartition("@")[2] if "@" in email else sender.rpartition("@")[2].strip("> "))
    organization = {k: text(org, k, "") for k in ("name", "email", "phone", "website")}
    organization["domain"] = domain
    return {"organization": organization, "vars": core(s.get("vars") or {}), "netbox_url": text(s, "netbox_url", ""),
            "timezone": text(s, "timezone", "UTC")}, domain or "notices.invalid"


class Renderer:
    def __init__(self, m, root, now):
        self.m, self.now = m, now
        self.env = make_environment(m, root)
        self.compiled = {}
        self.providers, self.tenants, self.targets, self.contacts = build_objects(m)
        self.events = build_events(m, self.providers, self.targets)
        self.settings, self.domain = settings_value(m["settings"])
        self.netbox_url = text(m["settings"], "netbox_url", "")

    def template(self, source, parent=None):
        """Each template source is compiled once."""
        key = (source, parent)
        if key not in self.compiled:
            if parent and not re.search(r"\{%[-+]?\s*extends\b", source):
                source = "{%% extends %r %%}" % parent + source  # rendered as a child of the parent's body
            self.compiled[key] = self.env.from_string(source)
        return self.compiled[key]

    def tenant_of(self, impact):
        o = self.m["objects"].get(impact["target"])
        return (o["tenant"] or None) if o else None

    def context(self, p):
        top = p["merged"]["top"]
        ctx = {"now": self.now, "netbox_url": self.netbox_url, "tenant": self.tenants.get(p["tenant"]),
               "contacts": [self.contacts[r["contact_id"]] for r in p["recipients"]], "message_sequence": 1,
               "template": Record(top["name"], {k: top[k] for k in ("slug", "name", "description")}),
               "settings": self.settings, "previous": None, "message_id": f"<{p['lineage']}@{self.domain}>"}
        e = p["event"]
        if e is None:
            ctx.update(impacts=[], tenant_impacts=[], highest_impact="NO-IMPACT", event=None, event_type="none")
            for k, v in p["message"]["vars"].items():
                ctx.setdefault(k, v)  # vars cannot replace the variables above
            return ctx
        event, impact_objects = self.events[(e["kind"], e["id"])]
        wanted = {i["target"] for i in p["impacts"]}
        mine = [(i, o) for i, o in zip(e["impacts"], impact_objects) if i["target"] in wanted]
        ctx["impacts"] = [o for _, o in mine]
        ctx["tenant_impacts"] = [o for i, o in mine if self.tenant_of(i) == p["tenant"]] if p["tenant"] else ctx["impacts"]
        ctx["highest_impact"] = max((i["level"] for i in p["impacts"] if i["level"]), key=SEVERITY.get, default="NO-IMPACT")
        ctx[e["kind"]] = ctx["event"] = event
        ctx["event_type"] = e["kind"]
        if p["granularity"] == "per_impact" and mine:
            ctx["impact"], ctx["object"] = mine[0][1], self.targets.get(mine[0][0]["target"])
        return ctx

    def render(self, p):
        """The files of one message folder, name → bytes."""
        ctx, merged, e = self.context(p), p["merged"], p["event"]
        subject = WHITESPACE_RUN.sub(" ", self.template(merged["subject"]).render(ctx)).strip(WHITESPACE)
        body = self.template(merged["body"], merged["extends"]).render(ctx)
        css = self.template(merged["css"]).render(ctx) if merged["css"] else ""
        headers = {name: self.template(source).render(ctx) for name, source in merged["headers"].items()}
        if not subject or any("\r" in v or "\n" in v for v in headers.values()):
            sys.exit(f"message {p['lineage']}: empty subject or a line break in a header")
        files = {"subject": subject, "body.txt": body}
        if merged["body_format"] == "markdown":
            files["body.html"] = html_document(markdown(body), css, subject)
        elif merged["body_format"] == "html":
            files["body.html"] = body if "<html" in body.lower() else html_document(body, css, subject)
            files["body.txt"] = html_to_text(body)
        files["headers.json"] = dumps(headers)
        if e and e["kind"] == "maintenance" and merged["include_ical"] and merged["ical"]:
            ics = ical_normalize(self.template(merged["ical"]).render(ctx))
            problems = ical_problems(ics)
            if problems:
                sys.exit(f"message {p['lineage']}: invalid iCal: {'; '.join(problems)}")
            files["invite.ics"] = ics
        files["recipients.json"] = dumps(p["recipients"])
        files = {k: v if isinstance(v, bytes) else v.encode() for k, v in files.items()}
        files["message.json"] = dumps({
            "id": p["lineage"], "template": merged["top"]["slug"],
            "event": {"type": e["kind"], "id": e["id"]} if e else None, "tenant": p["tenant"],
            "target": {"type": p["target"][0], "id": p["target"][1]} if p["target"] else None,
            "impacts": [{"type": i["target"][0], "id": i["target"][1], "impact": i["level"]} for i in p["impacts"]],
            "sequence": 1, "body_format": merged["body_format"], "files": sorted(files),
            # the event as rendered, for the next revision's `previous.event`
            "event_snapshot": {"start": rfc3339(e["start"]), "end": rfc3339(e["end"]), "status": e["status"],
                               "name": e["name"], "summary": e["summary"]} if e else None})
        return files


def rfc3339(t):
    if t is None:
        return None
    return t.strftime("%Y-%m-%dT%H:%M:%S") + (f".{t.microsecond:06d}" if t.microsecond else "") + "Z"


def content_hash(files):
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(b"%s\0%d\0" % (name.encode(), len(files[name])) + files[name])
    return h.hexdigest()


def manifest_entry(p, files, rendered_at):
    e = p["event"]
    entry = {"id": p["lineage"], "lineage": p["lineage"], "sequence": 1, "status": "draft",
             "template": p["merged"]["top"]["slug"], "event": {"type": e["kind"], "id": e["id"]} if e else None,
             "tenant": p["tenant"], "target": {"type": p["target"][0], "id": p["target"][1]} if p["target"] else None,
             "content_hash": content_hash(files), "rendered_at": rendered_at, "orphaned": False, "recipients": None,
             "journal": []}
    entry.update(dict.fromkeys(["approved_by", "approved_at", "sent_at", "delivered_at", "viewed_at", "withdrawn_at"]))
    return entry


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", nargs="?", default=".")
    ap.add_argument("--out", help="output folder (default: the settings' output under ROOT)")
    ap.add_argument("--now", help="render time, e.g. 2026-11-29T08:00:00Z (default: SOURCE_DATE_EPOCH, else the clock)")
    a = ap.parse_args()
    m = load(a.root, a.out)
    if a.now:
        now = timestamp(a.now, UTC)
    else:
        now = dt.datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH") or dt.datetime.now().timestamp()), UTC)
    rendered_at = rfc3339(now)
    out = a.out or os.path.join(a.root, os.path.normpath(text(m["settings"], "output", "out")))
    renderer = Renderer(m, a.root, now)
    entries = []
    for p in plan(m):
        files = renderer.render(p)
        folder = os.path.join(out, "messages", p["lineage"])
        os.makedirs(folder)
        for name, data in files.items():
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
        entries.append(manifest_entry(p, files, rendered_at))
    entries.sort(key=lambda e: e["id"])
    with open(os.path.join(out, "manifest.json"), "wb") as f:
        f.write(dumps({"format": 1, "messages": entries}))
    print(f"{len(entries)} messages")


if __name__ == "__main__":
    main()
