// Usage: node drive_clients.mjs PORT — the official clients against a fake started with
// --gitea-token tok --plane-key good: answers must parse and carry the fields orchkit reads.
import { createRequire } from "node:module";
import { join } from "node:path";
import assert from "node:assert/strict";

const modules = join(process.env.CONTRACT_MODULES ?? new URL(".", import.meta.url).pathname, "node_modules");
const require = createRequire(join(modules, "x.js"));
const { giteaApi } = require("gitea-js");
const { PlaneClient } = require("@makeplane/plane-node-sdk");
const base = `http://127.0.0.1:${process.argv[2]}`;

async function gitea() {
  const api = giteaApi(base, { token: "tok", customFetch: fetch });
  const user = await api.user.userGetCurrent();
  assert.equal(typeof user.data.login, "string", "User.login");
  const st = await api.repos.repoCreateStatus("o", "r", "a".repeat(40), { state: "pending", context: "orchkit" });
  assert.equal(st.data.status, "pending", "CommitStatus.status (Gitea names the state field status)");
  const err = await api.repos.repoPullRequestIsMerged("o", "r", 999).then(() => null, (e) => e);
  assert.ok(err && err.status === 404, "unknown PR: the client surfaces a 404 error");
}

async function plane() {
  const bad = new PlaneClient({ baseUrl: base, apiKey: "wrong" });
  const err = await bad.states.list("ws", "p").then(() => null, (e) => e);
  assert.ok(err, "bad Plane key: the client surfaces an error");
  assert.equal(err.statusCode, 403, `bad key: 403 (${err})`);
  assert.equal(typeof err.response?.detail, "string", "bad key: a DRF {\"detail\"} body");
}

for (const [name, f] of [["gitea", gitea], ["plane", plane]])
  await f().catch((e) => { console.log(`${name}: ${e.message}`); process.exitCode = 1; });
