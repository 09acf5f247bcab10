#!/usr/bin/env python3
"""End-to-end delivery: a real SMTP server (aiosmtpd on 127.0.0.1) receives what
examples/delivery/deliver.py sends for the approved messages of TREE; one recipient is
refused. Checks what the server got and what the manifest says.

Usage: smtp_delivery.py NOTICES_BINARY TREE REPO_ROOT
"""
import json
import os
import socket
import subprocess
import sys
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

binary, tree, repo = sys.argv[1:4]
REFUSED = "noc@umbrella.example"


class Handler:
    def __init__(self):
        self.received = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True)


problems = []
handler = Handler()
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
controller = Controller(handler, hostname="127.0.0.1", port=port)
controller.start()
try:
    assert run("render", tree, "-q").returncode == 0
    ready = [m for m in json.loads(run("list", "--root", tree, "--json").stdout) if m["recipients"]]
    approved = [m["id"] for m in ready if m["id"].startswith(("maintenance-zayo-2026-0150", "outage-lumen", "maintenance-lumen-2026-80"))]
    # One more approved message whose event is then set to notify: false: orphaned, not sent.
    orphan = next(m["id"] for m in ready if m["id"].startswith("maintenance-aero-2026-12--"))
    r = run("approve", *approved, orphan, "--root", tree, "--by", "e2e")
    if r.returncode != 0:
        problems.append(f"approve failed: {r.stderr}")
    events = os.path.join(tree, "events", "maintenances.yaml")
    text = open(events, encoding="utf-8").read()
    open(events, "w", encoding="utf-8").write(text.replace("  - id: aero-2026-12\n", "  - id: aero-2026-12\n    notify: false\n", 1))
    if run("render", tree, "-q").returncode != 0:
        problems.append("render after notify: false failed")
    d = subprocess.run([sys.executable, os.path.join(repo, "examples/delivery/deliver.py"), "--root", tree,
                        "--smtp", f"127.0.0.1:{port}", "--notices", binary], capture_output=True, text=True)
finally:
    controller.stop()

listing = {m["id"]: m for m in json.loads(run("list", "--root", tree, "--json").stdout)}
manifest = {m["id"]: m for m in json.load(open(os.path.join(tree, "out", "manifest.json")))["messages"]}
expected_ok = [i for i in approved if REFUSED not in [r["email"] for r in listing[i]["recipients"]]]
expected_fail = [i for i in approved if i not in expected_ok]
if not expected_fail:
    problems.append("the scenario needs a message to the refused recipient")
if d.returncode != 1:
    problems.append(f"deliver.py exit {d.returncode}, expected 1 (one refusal): {d.stdout} {d.stderr}")
if manifest[orphan]["status"] != "ready" or not manifest[orphan]["orphaned"] or f"{orphan}: not sent: orphaned" not in d.stderr:
    problems.append(f"{orphan}: status {manifest[orphan]['status']}, orphaned {manifest[orphan]['orphaned']}; stderr {d.stderr}")

# The server got exactly the delivered messages, with their recipients, subject and parts.
got = {}
for rcpts, content in handler.received:
    msg = message_from_bytes(content, policy=policy.default)
    got[msg["Message-ID"]] = (sorted(rcpts), msg["Subject"], [p.get_content_type() for p in msg.walk()])
want = {}
for i in expected_ok:
    folder = listing[i]["folder"]
    msg = message_from_bytes(open(os.path.join(folder, "message.eml"), "rb").read(), policy=policy.default)
    want[msg["Message-ID"]] = (sorted(r["email"] for r in listing[i]["recipients"]), open(os.path.join(folder, "subject")).read(),
                               [p.get_content_type() for p in msg.walk()])
# A message with one refused and other accepted recipients is still transmitted to the rest.
for i in expected_fail:
    others = sorted(r["email"] for r in listing[i]["recipients"] if r["email"] != REFUSED)
    if others:
        msg = message_from_bytes(open(os.path.join(listing[i]["folder"], "message.eml"), "rb").read(), policy=policy.default)
        want[msg["Message-ID"]] = (others, open(os.path.join(listing[i]["folder"], "subject")).read(),
                                   [p.get_content_type() for p in msg.walk()])
if got != want:
    problems.append(f"server received {got}\nexpected {want}")

for i in expected_ok:
    if manifest[i]["status"] != "delivered":
        problems.append(f"{i} is {manifest[i]['status']}, expected delivered")
for i in expected_fail:
    m = manifest[i]
    last = m["journal"][-1]
    if m["status"] != "failed" or "550 5.1.1 mailbox unavailable" not in (last["message"] or "") or last["kind"] != "warning":
        problems.append(f"{i}: status {m['status']}, last journal {last}")

for p in problems:
    print(p)
print(f"delivered {len(expected_ok)}, failed {len(expected_fail)}: {len(problems)} problems")
sys.exit(1 if problems else 0)
