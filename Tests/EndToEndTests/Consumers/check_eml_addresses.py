"""Reads a message.eml with Python's email package under the strict policy (any
defect raises) and prints, as JSON, the addresses of its address headers and whether
its header block holds raw 8-bit bytes: what a mail tool would send to and show."""
import email
import email.policy
import json
import sys

data = open(sys.argv[1], "rb").read()
header_block = data.split(b"\r\n\r\n", 1)[0]
msg = email.message_from_bytes(data, policy=email.policy.strict)
out = {"raw_8bit_in_headers": any(b > 127 for b in header_block)}
for name in ["To", "Cc", "Bcc", "From", "Reply-To", "Sender"]:
    values = msg.get_all(name) or []
    if values:
        out[name] = [[a.display_name, a.addr_spec] for v in values for a in v.addresses]
        out[name + " fields"] = len(values)
print(json.dumps(out, sort_keys=True, ensure_ascii=False))
