#!/usr/bin/env python3
"""One fake for the HTTP services orchkit talks to (Telegram, Gitea, Plane).

Listens on 127.0.0.1 only, logs every request as a JSON line, and misbehaves on request so the
clients' failure paths can be tested. See tests/fakes/README.md for the command line, the modes
and how to add a route.
"""

import argparse
import json
import math
import os
import re
import socket
import struct
import sys
import threading
import time
import uuid
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


GITEA_REPO = r"/api/v1/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
GITEA_MERGE_STYLES = ("merge", "rebase", "rebase-merge", "squash", "fast-forward-only", "manually-merged")


def _gitea_auth(server, req):
    token = _gitea_token(req)
    return token is not None and (server.args.gitea_token is None or token == server.args.gitea_token)


def _gitea_pr(server, index):
    """The pull request `index` of --pr-heads FILE (re-read per call, so a test can move a head):
    {"<index>": "<head sha>" | {"head": sha, "mergeable": bool, "conflict": bool, "styles": [...],
    "push_rejected": "hook message", "archived": bool, "merged": bool}}. None when unknown."""
    heads = {}
    if server.args.pr_heads:
        try:
            with open(server.args.pr_heads) as f:
                heads = json.load(f)
        except (OSError, ValueError):
            heads = {}
    pr = heads.get(index)
    if isinstance(pr, str):
        pr = {"head": pr}
    return pr


@route("POST", GITEA_REPO + r"/pulls/(?P<index>[0-9]+)/merge", "gitea")
def gitea_merge_pull(server, req, m):
    """Gitea's MergePullRequest, in its order: 401 without a token; 423 for an archived repository;
    404 for an unknown PR; 422 for a missing Do; 405 (message "") when already merged — the fake
    remembers every PR it merged; 405 "Please try again later" when not mergeable; 405 "<style> is
    not allowed an allowed merge style for this repository" for a style outside "styles"; 409
    "head out of date" when head_commit_id is not the PR head; 409 with the conflict struct (no
    "message") for a conflict; 409 "PushRejected with remote message: ..." for a hook; 200 and an
    empty body on merge."""
    if not _gitea_auth(server, req):
        return 401, {"message": "token is required", "url": "/api/swagger"}, {}
    index = m.group("index")
    pr = _gitea_pr(server, index)
    if pr is not None and pr.get("archived"):
        return 423, {"message": "%s/%s is archived" % (m.group("owner"), m.group("repo")),
                     "url": "/api/swagger"}, {}
    if pr is None:
        return 404, {"message": "The target couldn't be found.", "url": "/api/swagger"}, {}
    body = req.json if isinstance(req.json, dict) else {}
    if body.get("Do") not in GITEA_MERGE_STYLES:
        return 422, {"message": "[Do]: Required", "url": "/api/swagger"}, {}
    with server.lock:
        already = index in server.gitea_merged or pr.get("merged", False)
    if already:
        return 405, {"message": "", "url": "/api/swagger"}, {}
    if not pr.get("mergeable", True):
        return 405, {"message": "Please try again later", "url": "/api/swagger"}, {}
    if body["Do"] not in pr.get("styles", GITEA_MERGE_STYLES):
        return 405, {"message": "%s is not allowed an allowed merge style for this repository" % body["Do"],
                     "url": "/api/swagger"}, {}
    want = body.get("head_commit_id")
    if want and want != pr["head"]:
        return 409, {"message": "head out of date", "url": "/api/swagger"}, {}
    if pr.get("conflict"):
        return 409, {"Style": body["Do"], "StdOut": "",
                     "StdErr": "CONFLICT (content): Merge conflict in src/a.c\n", "Err": {}}, {}
    if pr.get("push_rejected"):
        return 409, {"message": "PushRejected with remote message: " + pr["push_rejected"],
                     "url": "/api/swagger"}, {}
    with server.lock:
        server.gitea_merged.add(index)
    return 200, b"", {}


@route("GET", GITEA_REPO + r"/pulls/(?P<index>[0-9]+)/merge", "gitea")
def gitea_is_merged(server, req, m):
    """Gitea's IsPullRequestMerged: 204 with no body when merged, else 404."""
    if not _gitea_auth(server, req):
        return 401, {"message": "token is required", "url": "/api/swagger"}, {}
    index = m.group("index")
    pr = _gitea_pr(server, index)
    with server.lock:
        merged = pr is not None and (index in server.gitea_merged or pr.get("merged", False))
    if merged:
        return 204, b"", {}
    return 404, {"message": "The target couldn't be found.", "url": "/api/swagger"}, {}


# Gitea Actions runs (newer Gitea): list, get, cancel, force-cancel. Runs come from
# --actions-runs FILE ([{"id", "head_branch", "status", "display_title", "sticky", "cancel_polls"}]),
# loaded once and kept in memory. Without that flag the routes answer 404, as a server without
# the Actions runs API does. A cancel moves a queued run to completed/cancelled at once and a
# running one to "cancelling", which ends after `cancel_polls` reads (the runner reacting;
# default 1) or never when `sticky` (a runner that stopped answering) until force-cancel.
# --actions-ignore-filters answers every run whatever the branch/status query says (a server
# whose filter is broken: the client must check head_branch itself).

def _gitea_run_json(run):
    return {"id": run["id"], "head_branch": run["head_branch"], "status": run["status"],
            "conclusion": run.get("conclusion"), "display_title": run.get("display_title", ""),
            "path": run.get("path", "ci.yml@refs/heads/" + run["head_branch"]), "event": "push",
            "run_number": run["id"], "url": "/api/v1/repos/x/y/actions/runs/%d" % run["id"]}


def _gitea_runs(server):
    if server.gitea_runs is None:
        return None
    return server.gitea_runs


def _find_run(server, run_id):
    for run in server.gitea_runs or []:
        if str(run["id"]) == run_id:
            return run
    return None


@route("GET", GITEA_REPO + r"/actions/runs", "gitea")
def gitea_list_runs(server, req, m):
    if not _gitea_auth(server, req):
        return 401, {"message": "token is required", "url": "/api/swagger"}, {}
    with server.lock:
        runs = _gitea_runs(server)
        if runs is None:
            return 404, {"message": "not found", "url": "/api/swagger"}, {}
        q = parse_qs(req.query)
        rows = runs
        if not server.args.actions_ignore_filters:
            if q.get("branch"):
                rows = [r for r in rows if r["head_branch"] == q["branch"][0]]
            if q.get("status"):
                rows = [r for r in rows if r["status"] == q["status"][0]]
        return 200, {"total_count": len(rows), "workflow_runs": [_gitea_run_json(r) for r in rows]}, {}


@route("GET", GITEA_REPO + r"/actions/runs/(?P<run>[0-9]+)", "gitea")
def gitea_get_run(server, req, m):
    if not _gitea_auth(server, req):
        return 401, {"message": "token is required", "url": "/api/swagger"}, {}
    with server.lock:
        if server.gitea_runs is None:
            return 404, {"message": "not found", "url": "/api/swagger"}, {}
        run = _find_run(server, m.group("run"))
        if run is None:
            return 404, {"message": "Run not found", "url": "/api/swagger"}, {}
        if run["status"] == "cancelling" and not run.get("sticky"):
            run["polls"] = run.get("polls", 0) + 1
            if run["polls"] >= int(run.get("cancel_polls", 1)):
                run["status"], run["conclusion"] = "completed", "cancelled"
        return 200, _gitea_run_json(run), {}


@route("POST", GITEA_REPO + r"/actions/runs/(?P<run>[0-9]+)/(?P<verb>cancel|force-cancel)", "gitea")
def gitea_cancel_run(server, req, m):
    if not _gitea_auth(server, req):
        return 401, {"message": "token is required", "url": "/api/swagger"}, {}
    with server.lock:
        if server.gitea_runs is None:
            return 404, {"message": "not found", "url": "/api/swagger"}, {}
        run = _find_run(server, m.group("run"))
        if run is None:
            return 404, {"message": "Run not found", "url": "/api/swagger"}, {}
        if run["status"] == "completed":
            return 409, {"message": "run is already done", "url": "/api/swagger"}, {}
        if m.group("verb") == "force-cancel" or run["status"] in ("queued", "waiting"):
            run["status"], run["conclusion"] = "completed", "cancelled"
        else:
            run["status"] = "cancelling"
        return 200, b"", {}


# Gitea issue/PR comments (CreateIssueComment, ListIssueComments, EditIssueComment) and the
# token's user (GetAuthenticatedUser). Every accepted token is --gitea-user; --gitea-comments FILE
# seeds comments by others ({"<index>": [{"user", "body"}]}). ListIssueComments is not paginated.

def _gitea_user_json(server, login):
    uid = 1 if login == server.args.gitea_user else 100 + sum(map(ord, login))
    return {"id": uid, "login": login, "login_name": "", "full_name": "", "email": login + "@example.invalid",
            "avatar_url": "", "language": "", "is_admin": False, "created": _iso(0), "restricted": False,
            "active": True, "prohibit_login": False, "visibility": "public"}


def _gitea_comment_json(server, owner, repo, index, c):
    base = "http://127.0.0.1:%d/%s/%s/pulls/%s" % (server.server_address[1], owner, repo, index)
    return {"id": c["id"], "html_url": base + "#issuecomment-%d" % c["id"], "pull_request_url": base,
            "issue_url": "", "user": _gitea_user_json(server, c["user"]), "original_author": "",
            "original_author_id": 0, "body": c["body"], "assets": [], "created_at": c["created_at"],
            "updated_at": c["updated_at"]}


@route("GET", r"/api/v1/user", "gitea")
def gitea_user(server, req, m):
    if not _gitea_auth(server, req):
        return 401, {"message": "token is required", "url": "/api/swagger"}, {}
    return 200, _gitea_user_json(server, server.args.gitea_user), {}


@route("GET", GITEA_REPO + r"/issues/(?P<index>[0-9]+)/comments", "gitea")
def gitea_list_comments(server, req, m):
    if not _gitea_auth(server, req):
        return 401, {"message": "token is required", "url": "/api/swagger"}, {}
    with server.lock:
        rows = server.gitea_comments.get(m.group("index"), [])
        return 200, [_gitea_comment_json(server, m.group("owner"), m.group("repo"), m.group("index"), c)
                     for c in rows], {}


def _comment_body(req):
    body = req.json if isinstance(req.json, dict) else None
    if body is None or not isinstance(body.get("body"), str):
        return None
    return body["body"]


@route("POST", GITEA_REPO + r"/issues/(?P<index>[0-9]+)/comments", "gitea")
def gitea_create_comment(server, req, m):
    if not _gitea_auth(server, req):
        return 401, {"message": "token is required", "url": "/api/swagger"}, {}
    text = _comment_body(req)
    if text is None:
        return 422, {"message": "[Body]: Required", "url": "/api/swagger"}, {}
    with server.lock:
        c = server.add_comment(m.group("index"), server.args.gitea_user, text)
        return 201, _gitea_comment_json(server, m.group("owner"), m.group("repo"), m.group("index"), c), {}


@route("PATCH", GITEA_REPO + r"/issues/comments/(?P<id>[0-9]+)", "gitea")
def gitea_edit_comment(server, req, m):
    if not _gitea_auth(server, req):
        return 401, {"message": "token is required", "url": "/api/swagger"}, {}
    text = _comment_body(req)
    if text is None:
        return 422, {"message": "[Body]: Required", "url": "/api/swagger"}, {}
    with server.lock:
        for index, rows in server.gitea_comments.items():
            for c in rows:
                if str(c["id"]) == m.group("id"):
                    if c["user"] != server.args.gitea_user:
                        return 403, {"message": "user should be the poster", "url": "/api/swagger"}, {}
                    c["body"], c["updated_at"] = text, _iso()
                    return 200, _gitea_comment_json(server, m.group("owner"), m.group("repo"), index, c), {}
        return 404, {"message": "comment not found", "url": "/api/swagger"}, {}


# ---------------------------------------------------------------------------------------------
# Plane API v1 (https://developers.plane.so/api-reference): X-Api-Key auth, 60 requests a minute
# per key (X-RateLimit-Remaining / X-RateLimit-Reset on every answer, 429 + Retry-After past it),
# states, work items (and the older issues/ paths), cursor pagination. The board is an in-memory
# store seeded from --plane-seed FILE and written back to that file after every change, so a
# test can read what the client did. See README.md for the seed format.
# ---------------------------------------------------------------------------------------------

PLANE_PROJECT = r"/api/v1/workspaces/(?P<slug>[^/]+)/projects/(?P<project>[^/]+)"
PLANE_MAX_PER_PAGE = 100


def _iso(t=None):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime(t if t is not None else time.time()))


def plane_route(method, suffix):
    """Registers a Plane handler(server, req, m, project) -> (status, body) behind auth, the rate
    limit and the workspace/project lookup."""
    def register(fn):
        def wrapped(server, req, m):
            return server.plane_call(req, m, fn)
        route(method, PLANE_PROJECT + suffix, "plane")(wrapped)
        return fn
    return register


def load_plane_seed(path):
    """The store: {"workspace", "legacy", "projects": {uuid: {"identifier", "states", "items"}}}.
    A project's optional "generate": {"count", "state", "start"} adds that many work items."""
    if not path:
        return {"workspace": None, "legacy": False, "projects": {}}
    with open(path, encoding="utf-8") as f:
        seed = json.load(f)
    store = {"workspace": seed.get("workspace"), "legacy": bool(seed.get("legacy", False)),
             "projects": {}}
    for pid, p in (seed.get("projects") or {}).items():
        items = [dict(i) for i in p.get("items", [])]
        gen = p.get("generate")
        if gen:
            seq = int(gen.get("start", len(items) + 1))
            for n in range(int(gen["count"])):
                items.append({"id": str(uuid.uuid5(uuid.NAMESPACE_URL, "%s/%d" % (pid, seq + n))),
                              "sequence_id": seq + n, "name": "generated work item %d" % (seq + n),
                              "state": gen["state"]})
        store["projects"][pid] = {"identifier": p.get("identifier", ""),
                                  "states": [dict(s) for s in p.get("states", [])],
                                  "items": items}
        if "member" in p:
            store["projects"][pid]["member"] = bool(p["member"])
    return store


def plane_state_json(server, pid, s, i):
    return {"id": s["id"], "name": s["name"], "color": s.get("color", "#60646C"),
            "description": s.get("description", ""), "sequence": s.get("sequence", 15000 + 1000 * i),
            "group": s.get("group", "backlog"), "default": bool(s.get("default", False)),
            "is_triage": bool(s.get("triage", False)), "external_source": None, "external_id": None,
            "project": pid, "workspace": server.plane_workspace_id,
            "created_at": "2024-01-01T00:00:00.000000Z", "updated_at": "2024-01-01T00:00:00.000000Z",
            "created_by": None, "updated_by": None, "deleted_at": None}


def plane_item_json(server, pid, it):
    return {"id": it["id"], "name": it.get("name", ""), "sequence_id": it["sequence_id"],
            "state": it["state"], "project": pid, "workspace": server.plane_workspace_id,
            "priority": it.get("priority", "none"), "description_html": "<p></p>",
            "description_stripped": "", "sort_order": 65535.0, "point": None,
            "estimate_point": None, "parent": None, "type_id": None, "start_date": None,
            "target_date": None, "completed_at": None, "archived_at": None, "is_draft": False,
            "external_source": None, "external_id": None, "assignees": [], "labels": [],
            "created_at": it.get("created_at", "2024-01-01T00:00:00.000000Z"),
            "updated_at": it.get("updated_at", "2024-01-01T00:00:00.000000Z"),
            "created_by": None, "updated_by": None, "deleted_at": None}


def plane_paginate(server, req, rows):
    """Plane's cursor pagination: ?per_page=N (<= --plane-max-per-page, 100 by default)
    &cursor=<per_page>:<page>:<is_prev>."""
    cap = server.args.plane_max_per_page
    q = parse_qs(req.query)
    try:
        per_page = int(q.get("per_page", ["100"])[0])
    except ValueError:
        return 400, {"detail": "Invalid per_page parameter."}
    if per_page > cap:
        return 400, {"detail": "Invalid per_page value. Cannot exceed %d." % cap}
    if per_page < 1:
        return 400, {"detail": "Invalid per_page parameter."}
    page, size = 0, per_page
    if q.get("cursor"):
        bits = q["cursor"][0].split(":")
        try:
            if len(bits) != 3:
                raise ValueError(bits)
            size, page, _ = int(bits[0]) or per_page, int(bits[1]), int(bits[2])
        except ValueError:
            return 400, {"detail": "Invalid cursor parameter."}
        if page < 0:
            return 400, {"detail": "Error in parsing"}
        size = min(size, cap)
    start = page * size
    results = rows[start:start + size]
    fields = q.get("fields", [""])[0]
    if fields:
        keep = set(f.strip() for f in fields.split(",") if f.strip())
        results = [{k: v for k, v in r.items() if k in keep} for r in results]
    total = len(rows)
    return 200, {"grouped_by": None, "sub_grouped_by": None, "total_count": total,
                 "next_cursor": "%d:%d:0" % (size, page + 1), "prev_cursor": "%d:%d:1" % (size, page - 1),
                 "next_page_results": total > start + size, "prev_page_results": page > 0,
                 "count": len(results), "total_pages": (total + size - 1) // size,
                 "total_results": total, "extra_stats": None, "results": results}


@plane_route("GET", r"/states/")
def plane_list_states(server, req, m, project):
    pid = m.group("project")
    # Plane lists no triage state (the intake's): `is_triage=False` in its queryset.
    rows = [plane_state_json(server, pid, s, i) for i, s in enumerate(project["states"]) if not s.get("triage")]
    return plane_paginate(server, req, rows)


@plane_route("GET", r"/(?P<kind>work-items|issues)/")
def plane_list_items(server, req, m, project):
    pid = m.group("project")
    return plane_paginate(server, req, [plane_item_json(server, pid, it) for it in project["items"]])


def _find_item(project, item_id):
    for it in project["items"]:
        if it["id"] == item_id:
            return it
    return None


@plane_route("GET", r"/(?P<kind>work-items|issues)/(?P<item>[^/]+)/")
def plane_get_item(server, req, m, project):
    it = _find_item(project, m.group("item"))
    if it is None:
        return 404, {"error": "The requested resource does not exist."}
    return 200, plane_item_json(server, m.group("project"), it)


@plane_route("PATCH", r"/(?P<kind>work-items|issues)/(?P<item>[^/]+)/")
def plane_patch_item(server, req, m, project):
    it = _find_item(project, m.group("item"))
    if it is None:
        return 404, {"error": "The requested resource does not exist."}
    body = req.json
    if not isinstance(body, dict):
        return 400, {"error": "Invalid request body"}
    if "state" in body:
        try:
            uuid.UUID(str(body["state"]))
        except ValueError:
            # the serializer's field error: Django REST framework's per-field list
            return 400, {"state": ["\u201c%s\u201d is not a valid UUID." % body["state"]]}
        if not any(s["id"] == body["state"] for s in project["states"]):
            return 400, {"error": "State is not valid please pass a valid state_id"}
        it["state"] = body["state"]
    if "name" in body:
        it["name"] = str(body["name"])
    it["updated_at"] = _iso()
    server.plane_save()
    return 200, plane_item_json(server, m.group("project"), it)


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
#   ok | 500 (or any status 4xx/5xx) | 429[:N] | 429-body[:N] | slow[:N] | reset | lost
# `lost` runs the route (a merge happens), then resets the connection: the answer is lost.
# ---------------------------------------------------------------------------------------------

MODE_RE = re.compile(r"(?P<base>ok|slow|reset|lost|429-body|\d{3})(?P<once>-once)?(?::(?P<n>\d+(?:\.\d+)?))?\Z")




class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, args):
        super().__init__(("127.0.0.1", args.port), Handler)
        self.args = args
        self.lock = threading.Lock()
        self.message_id = 0
        self.status_id = 0
        self.gitea_merged = set()  # indexes of the pull requests this fake merged
        self.gitea_runs = None     # Actions runs (--actions-runs); None: no such API
        if args.actions_runs:
            with open(args.actions_runs, encoding="utf-8") as f:
                self.gitea_runs = [dict(r) for r in json.load(f)]
        self.comment_id = 0
        self.gitea_comments = {}   # pull request index -> its comments (--gitea-comments seeds)
        if args.gitea_comments:
            with open(args.gitea_comments, encoding="utf-8") as f:
                for index, rows in json.load(f).items():
                    for c in rows:
                        self.add_comment(index, c["user"], c["body"])
        self.mode_key = None   # identifies one setting of the mode; "-once" counts per setting
        self.mode_hits = 0
        self.log_file = open(args.log, "a", encoding="utf-8") if args.log else None
        self.plane = load_plane_seed(args.plane_seed)
        self.plane_workspace_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "workspace/%s" % self.plane["workspace"]))
        self.plane_history = {}  # api key -> times of its requests in the current window

    def add_comment(self, index, user, body):
        self.comment_id += 1
        c = {"id": self.comment_id, "user": user, "body": body, "created_at": _iso(), "updated_at": _iso()}
        self.gitea_comments.setdefault(str(index), []).append(c)
        return c

    def plane_save(self):
        """Writes the board back to --plane-seed (atomically); called with self.lock held."""
        if not self.args.plane_seed:
            return
        tmp = self.args.plane_seed + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.plane, f, indent=1, sort_keys=True)
        os.replace(tmp, self.args.plane_seed)

    def plane_call(self, req, m, fn):
        """X-Api-Key, then the per-key rate limit (Plane's ApiKeyRateThrottle: a sliding window,
        X-RateLimit-Remaining / X-RateLimit-Reset), then the workspace and project."""
        # Plane's APIKeyAuthentication sends no WWW-Authenticate header, so Django REST
        # framework answers a missing or bad key with 403, not 401.
        key = req.headers.get("X-Api-Key")
        if not key:
            return 403, {"detail": "Authentication credentials were not provided."}, {}
        if self.args.plane_key is not None and key != self.args.plane_key:
            return 403, {"detail": "Given API token is not valid"}, {}
        if req.command in ("POST", "PATCH", "PUT"):
            ctype = req.headers.get("Content-Type", "")
            if ctype.split(";")[0].strip() != "application/json":
                return 415, {"detail": 'Unsupported media type "%s" in request.' % ctype}, {}
        limit, window = self.args.plane_rate_limit, self.args.plane_rate_window
        now = time.time()
        with self.lock:
            history = [t for t in self.plane_history.get(key, []) if t > now - window]
            if len(history) >= limit:
                self.plane_history[key] = history
                wait = max(1, int(history[0] + window - now + 0.999))
                return 429, {"detail": "Request was throttled. Expected available in %d seconds." % wait}, {
                    "Retry-After": str(wait)}
            history.append(now)
            self.plane_history[key] = history
            headers = {"X-RateLimit-Remaining": str(max(0, limit - len(history))),
                       "X-RateLimit-Reset": str(int(math.ceil(now + window)))}
            if self.plane["workspace"] is not None and m.group("slug") != self.plane["workspace"]:
                return 404, {"error": "Workspace does not exist"}, headers
            project = self.plane["projects"].get(m.group("project"))
            if project is None:
                return 404, {"error": "Project does not exist"}, headers
            if not project.get("member", True):
                # the key's user is not a member of the project: ProjectEntityPermission
                return 403, {"detail": "You do not have permission to perform this action."}, headers
            if self.plane["legacy"] and m.groupdict().get("kind") == "work-items":
                # An older server: no such route at all (Django's HTML 404 page).
                return 404, b"<!doctype html><title>Not Found</title><h1>Not Found</h1>", headers
            status, body = fn(self, req, m, project)
        return status, body, headers

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
            elif mode not in ("ok", "lost"):
                status = int(mode)
                body, headers = error_body(flavour, status, "fake failure %d" % status), {}
            else:
                try:
                    status, body, headers = fn(self.server, self, m)
                except Exception as e:  # a broken route must show up as an answer, not a hang-up
                    status, body, headers = 500, error_body(flavour, 500, "fake route crashed: %r" % e), {}
        if mode == "lost":
            # the route did its work (a merge happened), then the answer is lost on the way
            entry["status"] = "lost"
            entry["answer"] = status
            self.server.log(entry)
            self.reset()
            return
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
        # Plane's BaseAPIView.handle_exception: {"error": ...} for what its views raise (a 500 is
        # "Something went wrong please try again later"); DRF's own answers (authentication,
        # permission, throttling) are {"detail": ...}.
        if status >= 500:
            return {"error": "Something went wrong please try again later"}
        if status in (400, 404, 409):
            return {"error": description}
        return {"detail": description}
    return {"message": description}


def main(argv):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    p.add_argument("--port-file", help="write the chosen port here (atomically) once listening")
    p.add_argument("--log", help="append one JSON line per request here")
    p.add_argument("--mode", default="ok", help="failure mode when --control is empty or absent")
    p.add_argument("--pr-heads", help="JSON file mapping pull request index to its head sha (Gitea merge route)")
    p.add_argument("--actions-runs", help="JSON list of Gitea Actions runs (the Actions routes 404 without it)")
    p.add_argument("--actions-ignore-filters", action="store_true",
                   help="list every Actions run whatever branch/status the query asks for")
    p.add_argument("--control", help="file whose content, when present, is the mode (re-read per request)")
    p.add_argument("--retry-after", type=int, default=1, help="seconds for 429 without :N")
    p.add_argument("--slow-seconds", type=float, default=5.0, help="sleep for slow without :N")
    p.add_argument("--telegram-token", help="the only bot token accepted (default: any)")
    p.add_argument("--gitea-token", help="the only Gitea token accepted (default: any non-empty)")
    p.add_argument("--gitea-user", default="orchkit-bot", help="the login of every accepted Gitea token")
    p.add_argument("--gitea-comments", help="JSON {\"<pr index>\": [{\"user\", \"body\"}]}: comments by others")
    p.add_argument("--plane-seed", help="JSON board for the Plane routes; written back after every change")
    p.add_argument("--plane-key", help="the only Plane X-Api-Key accepted (default: any non-empty)")
    p.add_argument("--plane-rate-limit", type=int, default=60, help="Plane requests per window per key")
    p.add_argument("--plane-max-per-page", type=int, default=PLANE_MAX_PER_PAGE,
                   help="Plane's per_page cap (a larger per_page is a 400)")
    p.add_argument("--plane-rate-window", type=float, default=60.0, help="Plane rate-limit window, seconds")
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
