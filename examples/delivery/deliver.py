#!/usr/bin/env python3
"""Deliver the `ready` messages of a notices output folder through SMTP and record the
outcome in the manifest. Standard library only.

    python3 examples/delivery/deliver.py --root examples/carrier --smtp 127.0.0.1:2525

For each message of `notices list --status ready --json`:
  1. send its message.eml to its recipients (`sendmail`, envelope from settings.eml.from
     or --from);
  2. `notices mark ID sent`, then `notices mark ID delivered` with the server's reply, or
     `notices mark ID failed` with the error (refused recipients, a closed connection).
A failed message can be queued again with `notices retry ID`. An orphaned message (its
event was deleted or set to `notify: false` after approval) is not sent: it is reported
and left `ready` for a person to `notices withdraw` or to bring back with its event.
"""
import argparse
import json
import smtplib
import subprocess
import sys
from email import message_from_bytes, policy
from email.utils import getaddresses


def notices(args, binary):
    result = subprocess.run([binary] + args, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"notices {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=".", help="the input tree (its settings.output holds the messages)")
    ap.add_argument("--smtp", default="127.0.0.1:25", help="SMTP server as HOST:PORT")
    ap.add_argument("--notices", default="notices", help="path of the notices binary")
    ap.add_argument("--from", dest="sender", help="envelope sender (default: the message's From)")
    args = ap.parse_args()
    host, _, port = args.smtp.rpartition(":")
    ready = json.loads(notices(["list", "--root", args.root, "--status", "ready", "--json"], args.notices))
    failures = 0
    for m in ready:
        mid = m["id"]
        if m["orphaned"]:
            print(f"{mid}: not sent: orphaned (its event no longer makes it); withdraw it or restore the event",
                  file=sys.stderr)
            continue
        to = [r["email"] for r in m["recipients"]]
        try:
            raw = open(f"{m['folder']}/message.eml", "rb").read()
        except FileNotFoundError:
            print(f"{mid}: no message.eml (set eml.from in notices.yaml)", file=sys.stderr)
            failures += 1
            continue
        sender = args.sender or getaddresses([message_from_bytes(raw, policy=policy.default)["From"] or ""])[0][1]
        try:
            with smtplib.SMTP(host, int(port), timeout=30) as smtp:
                refused = smtp.sendmail(sender, to, raw)
                code, reply = smtp.noop()
            notices(["mark", mid, "sent", "--root", args.root, "--message", f"SMTP {host}:{port}"], args.notices)
            if refused:
                detail = "; ".join(f"{addr}: {c} {msg.decode(errors='replace')}" for addr, (c, msg) in sorted(refused.items()))
                notices(["mark", mid, "failed", "--root", args.root, "--message", f"refused {detail}"], args.notices)
                failures += 1
                print(f"{mid}: failed ({detail})")
            else:
                notices(["mark", mid, "delivered", "--root", args.root,
                         "--message", f"accepted for {len(to)} recipients"], args.notices)
                print(f"{mid}: delivered to {len(to)}")
        except smtplib.SMTPRecipientsRefused as e:
            detail = "; ".join(f"{addr}: {c} {msg.decode(errors='replace')}" for addr, (c, msg) in sorted(e.recipients.items()))
            notices(["mark", mid, "sent", "--root", args.root], args.notices)
            notices(["mark", mid, "failed", "--root", args.root, "--message", f"refused {detail}"], args.notices)
            failures += 1
            print(f"{mid}: failed ({detail})")
        except (smtplib.SMTPException, OSError) as e:
            notices(["mark", mid, "sent", "--root", args.root], args.notices)
            notices(["mark", mid, "failed", "--root", args.root, "--message", f"{type(e).__name__}: {e}"], args.notices)
            failures += 1
            print(f"{mid}: failed ({e})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
