#!/usr/bin/env python3
"""One fake for the HTTP services orchkit talks to (Telegram, Gitea; Plane to come).

Listens on 127.0.0.1 only, logs every request as a JSON line, and misbehaves on request so the
clients' failure paths can be tested. See tests/fakes/README.md for the command line, the modes
and how to add a route.
"""

import argparse
import json
import os
import re
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


# ---------------------------------------------------------------------------------------------
# Routes: (method, path regex, flavour, handler). The flavour shapes error bodies the way that
# service does (Telegram: {"ok": false, ...}; Gitea: {"message": ...}; Plane: {"detail": ...}).
# A handler gets (server, request, match) and returns (status, body, extra_headers); a dict or
# list body is sent as JSON. Add Plane work-items/states or Gitea merge/actions endpoints here.
# ---------------------------------------------------------------------------------------------

ROUTES = []


def route(method, pattern, flavour):
    def register(fn):
        ROUTES.append((method, re.compile(pattern + r"\Z"), flavour, fn))
        return fn
    return register


def _now():
    return int(time.time())


@route("POST", r"/bot(?P<token>[^/]+)/sendMessage", "telegram")
def telegram_send_message(server, req, m):
    expected = server.args.telegram_token
    if expected is not None and m.group("token") != expected:
        return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}, {}
    body = req.json if isinstance(req.json, dict) else {}
    if "chat_id" not in body or not body.get("text"):
        return 400, {"ok": False, "error_code": 400,
                     "description": "Bad Request: message text is empty"}, {}
    if len(body["text"]) > 4096:
        return 400, {"ok": False, "error_code": 400,
                     "description": "Bad Request: message is too long"}, {}
    server.message_id += 1
    return 200, {"ok": True, "result": {
        "message_id": server.message_id, "date": _now(),
        "chat": {"id": body["chat_id"], "type": "private"},
        "text": body["text"]}}, {}


def _gitea_token(req):
    auth = req.headers.get("Authorization", "")
    for prefix in ("token ", "Bearer "):
        if auth.startswith(prefix) and auth[len(prefix):].strip():
            return auth[len(prefix):].strip()
    return None


@route("POST", r"/api/v1/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/statuses/(?P<sha>[0-9a-fA-F]+)",
       "gitea")
def gitea_create_status(server, req, m):
    token = _gitea_token(req)
    if token is None or (server.args.gitea_token is not None and token != server.args.gitea_token):
        return 401, {"message": "token is required", "url": "/api/swagger"}, {}
    body = req.json if isinstance(req.json, dict) else {}
    if body.get("state") not in ("pending", "success", "error", "failure", "warning"):
        return 422, {"message": "invalid state", "url": "/api/swagger"}, {}
    server.status_id += 1
    return 201, {
        "id": server.status_id, "status": body["state"], "context": body.get("context", ""),
        "description": body.get("description", ""), "target_url": body.get("target_url", ""),
        "url": "/api/v1/repos/%s/%s/statuses/%s" % (m.group("owner"), m.group("repo"), m.group("sha")),
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}, {}


@route("POST", r"/api/v1/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/pulls/(?P<index>[0-9]+)/merge", "gitea")
def gitea_merge_pull(server, req, m):
    """Gitea's MergePullRequest: 200 on merge; 409 when head_commit_id is not the PR head
    ("head out of date"); 405 when the PR is not mergeable; 404 for an unknown PR. PR heads come
    from --pr-heads FILE: {"<index>": "<sha>" | {"head": sha, "mergeable": false}} (re-read per call)."""
    token = _gitea_token(req)
    if token is None or (server.args.gitea_token is not None and token != server.args.gitea_token):
        return 401, {"message": "token is required", "url": "/api/swagger"}, {}
    heads = {}
    if server.args.pr_heads:
        try:
            with open(server.args.pr_heads) as f:
                heads = json.load(f)
        except (OSError, ValueError):
            heads = {}
    pr = heads.get(m.group("index"))
    if pr is None:
        return 404, {"message": "The target couldn't be found.", "url": "/api/swagger"}, {}
    if isinstance(pr, str):
        pr = {"head": pr, "mergeable": True}
    body = req.json if isinstance(req.json, dict) else {}
    if body.get("Do") not in ("merge", "rebase", "rebase-merge", "squash", "fast-forward-only", "manually-merged"):
        return 422, {"message": "[Do]: Required", "url": "/api/swagger"}, {}
    if not pr.get("mergeable", True):
        return 405, {"message": "Please try again later", "url": "/api/swagger"}, {}
    want = body.get("head_commit_id")
    if want and want != pr["head"]:
        return 409, {"message": "head out of date", "url": "/api/swagger"}, {}
    return 200, b"", {}


# Test helpers for the HTTP client itself.
@route("GET", r"/echo", "generic")
@route("POST", r"/echo", "generic")
def echo(server, req, m):
    return 200, {"method": req.command, "path": req.path, "body": req.body}, {}


@route("GET", r"/redirect", "generic")
@route("POST", r"/redirect", "generic")
def redirect(server, req, m):
    q = parse_qs(req.query)
    code = int(q.get("code", ["307"])[0])
    return code, {"redirect": True}, {"Location": q.get("to", ["/echo"])[0]}


# ---------------------------------------------------------------------------------------------
# Failure modes: `<base>[-once][:N]`, read from --control FILE on every request (so a test can
# rewrite it between calls), else --mode. `-once` misbehaves for the first request after the mode
# was set and answers normally afterwards.
#   ok | 500 (or any status 4xx/5xx) | 429[:N] | 429-body[:N] | slow[:N] | reset
# ---------------------------------------------------------------------------------------------

MODE_RE = re.compile(r"(?P<base>ok|slow|reset|429-body|\d{3})(?P<once>-once)?(?::(?P<n>\d+(?:\.\d+)?))?\Z")




class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, args):
        super().__init__(("127.0.0.1", args.port), Handler)
        self.args = args
        self.lock = threading.Lock()
        self.message_id = 0
        self.status_id = 0
        self.mode_key = None   # identifies one setting of the mode; "-once" counts per setting
        self.mode_hits = 0
        self.log_file = open(args.log, "a", encoding="utf-8") if args.log else None

    def current_mode(self):
        """Returns (mode text, the mode to apply to this request)."""
        text, key = self.args.mode, ("arg", self.args.mode)
        if self.args.control:
            try:
                st = os.stat(self.args.control)
                with open(self.args.control, encoding="utf-8") as f:
                    content = f.read().strip()
                if content:
                    text, key = content, (content, st.st_mtime_ns, st.st_ino)
            except FileNotFoundError:
                pass
        with self.lock:
            if key != self.mode_key:
                self.mode_key, self.mode_hits = key, 0
            self.mode_hits += 1
            hits = self.mode_hits
        m = MODE_RE.match(text)
        if not m:
            return text, ("bad", None)
        if m.group("once") and hits > 1:
            return text, ("ok", None)
        n = float(m.group("n")) if m.group("n") else None
        return text, (m.group("base"), n)

    def log(self, entry):
        if not self.log_file:
            return
        with self.lock:
            self.log_file.write(json.dumps(entry, sort_keys=True) + "\n")
            self.log_file.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "orchkit-fake/1"

    def log_message(self, fmt, *args):  # the JSON log is the record; keep stderr quiet
        pass

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PATCH(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    def dispatch(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        self.body = raw.decode("utf-8", "replace")
        self.query = parts.query
        try:
            self.json = json.loads(self.body) if self.body else None
        except ValueError:
            self.json = None
        req_path = parts.path
        mode_text, (mode, n) = self.server.current_mode()

        found = None
        for method, pattern, flavour, fn in ROUTES:
            m = pattern.match(req_path)
            if m and method == self.command:
                found = (flavour, fn, m)
                break
        entry = {"method": self.command, "path": req_path, "query": self.query,
                 "headers": dict(self.headers.items()), "body": self.body, "mode": mode_text}

        if mode == "reset":
            entry["status"] = "reset"
            self.server.log(entry)
            self.reset()
            return
        if mode == "slow":
            entry["status"] = "slow"
            self.server.log(entry)
            time.sleep(n if n is not None else self.server.args.slow_seconds)
            mode = "ok"
        if found is None:
            status, body, headers = 404, {"message": "no route for %s %s" % (self.command, req_path)}, {}
            flavour = "generic"
        else:
            flavour, fn, m = found
            if mode == "bad":
                status, body, headers = 500, error_body(flavour, 500, "bad fake mode %r" % mode_text), {}
            elif mode in ("429", "429-body"):
                after = int(n) if n is not None else self.server.args.retry_after
                status, body = 429, error_body(flavour, 429, "Too Many Requests: retry after %d" % after)
                if flavour == "telegram":
                    body["parameters"] = {"retry_after": after}
                headers = {} if mode == "429-body" else {"Retry-After": str(after)}
            elif mode != "ok":
                status = int(mode)
                body, headers = error_body(flavour, status, "fake failure %d" % status), {}
            else:
                try:
                    status, body, headers = fn(self.server, self, m)
                except Exception as e:  # a broken route must show up as an answer, not a hang-up
                    status, body, headers = 500, error_body(flavour, 500, "fake route crashed: %r" % e), {}
        if "status" not in entry:
            entry["status"] = status
            self.server.log(entry)
        self.respond(status, body, headers)

    def respond(self, status, body, headers):
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def reset(self):
        """Closes the connection with an RST and no response at all."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True
        # finish() would flush into the closed socket; give it something harmless.
        self.wfile = _Sink()


class _Sink:
    closed = True

    def write(self, _):
        return 0

    def flush(self):
        pass

    def close(self):
        pass


def error_body(flavour, status, description):
    if flavour == "telegram":
        return {"ok": False, "error_code": status, "description": description}
    if flavour == "plane":
        return {"detail": description}
    return {"message": description}


def main(argv):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    p.add_argument("--port-file", help="write the chosen port here (atomically) once listening")
    p.add_argument("--log", help="append one JSON line per request here")
    p.add_argument("--mode", default="ok", help="failure mode when --control is empty or absent")
    p.add_argument("--pr-heads", help="JSON file mapping pull request index to its head sha (Gitea merge route)")
    p.add_argument("--control", help="file whose content, when present, is the mode (re-read per request)")
    p.add_argument("--retry-after", type=int, default=1, help="seconds for 429 without :N")
    p.add_argument("--slow-seconds", type=float, default=5.0, help="sleep for slow without :N")
    p.add_argument("--telegram-token", help="the only bot token accepted (default: any)")
    p.add_argument("--gitea-token", help="the only Gitea token accepted (default: any non-empty)")
    args = p.parse_args(argv)
    if not MODE_RE.match(args.mode):
        p.error("bad --mode %r" % args.mode)

    server = FakeServer(args)
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    else:
        print(port, flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
