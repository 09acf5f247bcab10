#!/usr/bin/env python3
"""Loads `notices preview` pages in headless Chromium and checks them from the DOM.

Talks the Chrome DevTools Protocol over --remote-debugging-pipe (standard library only):
file descriptor 3 carries commands to the browser, 4 its replies, each a JSON text
followed by a NUL byte.

Usage: preview_browser.py OUT_DIR SHOTS_DIR MESSAGE_ID [EXPECT_TEXT]

* index.html: every message of OUT/manifest.json is a row (tr[data-id]); no page is
  wider than a phone's screen; light and dark schemes; screenshots at desktop and
  phone widths and in the dark scheme.
* messages/MESSAGE_ID.html: the body iframe is sandboxed with no tokens, its document
  loaded (EXPECT_TEXT, when given, is in it), and no script ran there: no console
  message, no dialog, no `data-pwned` attribute anywhere. As a control, the same
  srcdoc in an iframe *without* sandbox does run its scripts, so the check can fail.
Prints one line per check; exit 1 when any failed.
"""
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

out, shots, message_id = sys.argv[1], sys.argv[2], sys.argv[3]
expect_text = sys.argv[4] if len(sys.argv) > 4 else None
os.makedirs(shots, exist_ok=True)
problems = []


def check(ok, what):
    print(("ok: " if ok else "FAILED: ") + what)
    if not ok:
        problems.append(what)


class Browser:
    def __init__(self):
        exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if not exe:
            raise SystemExit("no chromium on PATH")
        self.profile = tempfile.mkdtemp(prefix="preview-chromium-")
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def wire():
            # The pipe ends may themselves be 3 or 4: copy them out of the way first.
            # dup2 leaves 3 and 4 inheritable, so they survive the exec.
            r, w = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--remote-debugging-pipe", f"--user-data-dir={self.profile}", "about:blank"],
            preexec_fn=wire, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        my_id = self.next_id
        msg = {"id": my_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_child, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self.read()
            if reply.get("id") == my_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def read(self, timeout=30):
        while b"\0" not in self.buffer:
            if not select.select([self.from_child], [], [], timeout)[0]:
                raise RuntimeError(f"chromium sent nothing for {timeout} s")
            chunk = os.read(self.from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        message = json.loads(raw)
        if message.get("method") == "Page.javascriptDialogOpening":
            # A dialog blocks its page until answered; answer it, and keep the event as
            # evidence that a script ran.
            self.events.append(message)
            self.next_id += 1
            os.write(self.to_child, json.dumps({"id": self.next_id, "method": "Page.handleJavaScriptDialog",
                                                "params": {"accept": True}, "sessionId": message["sessionId"]}).encode() + b"\0")
            return {}
        return message

    def wait_event(self, method, session, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e.get("method") == method and e.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self.read())
        raise RuntimeError(f"timed out waiting for {method}")

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        self.proc.wait(timeout=30)
        shutil.rmtree(self.profile, ignore_errors=True)


browser = Browser()


def open_page(url, width=1280, height=900, mobile=False, scheme="light"):
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "DOM"):
        browser.send(f"{domain}.enable", session=session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}, session=session)
    browser.send("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
                 session=session)
    # Sandboxed frames may live in their own process (an out-of-process iframe with its
    # own target): attach to those too, so their DOM and console can be inspected.
    browser.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": True},
                 session=session)
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_event("Page.loadEventFired", session)
    return session


def frame_sessions(session):
    """Sessions of the out-of-process frames attached under `session`."""
    found = []
    for e in list(browser.events):
        if e.get("method") == "Target.attachedToTarget" and e.get("sessionId") == session:
            child = e["params"]["sessionId"]
            if child not in ATTACHED:
                ATTACHED.add(child)
                for domain in ("Runtime", "DOM"):
                    try:
                        browser.send(f"{domain}.enable", session=child)
                    except RuntimeError:
                        pass
            found.append(child)
    return found


ATTACHED = set()


def evaluate(session, expression):
    return browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                        session=session)["result"].get("value")


def screenshot(session, name):
    data = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session)["data"]
    path = os.path.join(shots, name)
    with open(path, "wb") as f:
        f.write(base64.b64decode(data))
    return path


def nodes(node):
    yield node
    for child in node.get("children", []):
        yield from nodes(child)
    if "contentDocument" in node:
        yield from nodes(node["contentDocument"])


def iframe_documents(session):
    """The content documents of the page's iframes, through DOM (works whether or not
    the frame may run scripts): in-process frames through `pierce`, out-of-process ones
    through their own sessions."""
    root = browser.send("DOM.getDocument", {"depth": -1, "pierce": True}, session=session)["root"]
    docs = [n["contentDocument"] for n in nodes(root) if n.get("nodeName") == "IFRAME" and "contentDocument" in n]
    for child in frame_sessions(session):
        docs.append(browser.send("DOM.getDocument", {"depth": -1, "pierce": True}, session=child)["root"])
    return docs


def text_of(node):
    return "".join(n.get("nodeValue", "") for n in nodes(node) if n.get("nodeType") == 3)


def pwned(node):
    return any("data-pwned" in n.get("attributes", [])[::2] for n in nodes(node))


def script_signals(session):
    sessions = {session, *frame_sessions(session)}
    return [e for e in browser.events if e.get("sessionId") in sessions
            and e.get("method") in ("Runtime.consoleAPICalled", "Page.javascriptDialogOpening")]


try:
    manifest = json.load(open(os.path.join(out, "manifest.json"), encoding="utf-8"))
    ids = sorted(m["id"] for m in manifest["messages"])
    base = "file://" + os.path.abspath(os.path.join(out, "preview"))

    index = open_page(base + "/index.html")
    listed = evaluate(index, "JSON.stringify([...document.querySelectorAll('tr[data-id]')].map(r => r.dataset.id))")
    check(sorted(json.loads(listed)) == ids, f"index lists all {len(ids)} messages")
    links = evaluate(index, "[...document.querySelectorAll('tr[data-id] a')].every(a => a.getAttribute('href') === 'messages/' + a.closest('tr').dataset.id + '.html')")
    check(links is True, "every row links to its message page")
    check(evaluate(index, "document.scripts.length") == 0, "the index has no script")
    screenshot(index, "index-desktop.png")
    phone = open_page(base + "/index.html", width=390, height=844, mobile=True)
    overflow = evaluate(phone, "document.documentElement.scrollWidth <= window.innerWidth")
    check(overflow is True, "the index fits a phone's width (tables scroll inside their box)")
    screenshot(phone, "index-phone.png")
    background = "getComputedStyle(document.body).backgroundColor"
    check(evaluate(index, background) == "rgb(255, 255, 255)", "light scheme: a light page")
    dark = open_page(base + "/index.html", scheme="dark")
    check(evaluate(dark, background) == "rgb(13, 17, 23)", "dark scheme: a dark page")
    screenshot(dark, "index-dark.png")

    page = open_page(f"{base}/messages/{message_id}.html")
    sandbox = evaluate(page, "JSON.stringify([...document.querySelectorAll('iframe')].map(f => f.getAttribute('sandbox')))")
    check(sandbox == '[""]', f"one body iframe, sandboxed with no tokens ({sandbox})")
    check(evaluate(page, "document.scripts.length") == 0, "the message page has no script")
    docs = iframe_documents(page)
    check(len(docs) == 1 and "BODY" in {n.get("nodeName") for n in nodes(docs[0])}, "the body iframe loaded its document")
    if expect_text is not None:
        check(len(docs) == 1 and expect_text in text_of(docs[0]), f"the body iframe shows {expect_text!r}")
    check(not any(pwned(d) for d in docs), "no script ran in the body iframe (no data-pwned attribute)")
    check(evaluate(page, "document.querySelector('[data-pwned]') === null") is True, "nothing reached the page itself")
    check(script_signals(page) == [], "no console message or dialog from the page or its frame")
    screenshot(page, "message-desktop.png")
    phone_page = open_page(f"{base}/messages/{message_id}.html", width=390, height=844, mobile=True)
    check(evaluate(phone_page, "document.documentElement.scrollWidth <= window.innerWidth") is True,
          "the message page fits a phone's width")
    screenshot(phone_page, "message-phone.png")

    # Control: the same srcdoc without sandbox runs its scripts, so the checks above can fail.
    srcdoc = evaluate(page, "document.querySelector('iframe').getAttribute('srcdoc')")
    if expect_text is not None and srcdoc and "data-pwned" in srcdoc:
        control_dir = tempfile.mkdtemp(prefix="preview-control-")
        with open(os.path.join(control_dir, "control.html"), "w", encoding="utf-8") as f:
            f.write("<!DOCTYPE html><iframe srcdoc=\"" + srcdoc.replace("&", "&amp;").replace('"', "&quot;") + "\"></iframe>")
        control = open_page("file://" + control_dir + "/control.html")
        time.sleep(0.5)
        check(any(pwned(d) for d in iframe_documents(control)), "control: without sandbox the same body's script does run")
        shutil.rmtree(control_dir, ignore_errors=True)
finally:
    browser.close()

print(f"{len(problems)} problems")
sys.exit(1 if problems else 0)
