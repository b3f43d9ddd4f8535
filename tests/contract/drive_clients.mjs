// Usage: node drive_clients.mjs PORT HEAD — the official clients against a fake started with
// --gitea-token tok --plane-key good --pr-heads {"7": HEAD} --plane-seed (contract.bats: workspace
// acme; project P1 with a triage state and item I1, project P2 whose member the key's user is not).
// Every answer must parse in the client and carry the fields orchkit reads.
import { createRequire } from "node:module";
import { join } from "node:path";
import assert from "node:assert/strict";

const modules = join(process.env.CONTRACT_MODULES ?? new URL(".", import.meta.url).pathname, "node_modules");
const require = createRequire(join(modules, "x.js"));
const { giteaApi } = require("gitea-js");
const { PlaneClient } = require("@makeplane/plane-node-sdk");
const [port, head] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;
const P1 = "a0000000-0000-4000-8000-000000000001";
const P2 = "a0000000-0000-4000-8000-000000000002";
const I1 = "a1000000-0000-4000-8000-000000000001";
const DONE = "a0000000-0000-4000-8000-000000000012";
const failed = (p) => p.then(() => null, (e) => e);

async function gitea() {
  const api = giteaApi(base, { token: "tok", customFetch: fetch });
  const user = await api.user.userGetCurrent();
  assert.equal(typeof user.data.login, "string", "User.login");
  const st = await api.repos.repoCreateStatus("o", "r", head, { state: "pending", context: "orchkit", description: "d" });
  assert.equal(st.data.status, "pending", "CommitStatus.status (Gitea names the state field status)");
  assert.equal(st.data.context, "orchkit", "CommitStatus.context");

  const unknown = await failed(api.repos.repoPullRequestIsMerged("o", "r", 999));
  assert.equal(unknown?.status, 404, "an unknown PR is not merged: 404");
  const notYet = await failed(api.repos.repoPullRequestIsMerged("o", "r", 7));
  assert.equal(notYet?.status, 404, "a PR not merged yet: 404");
  const moved = await failed(api.repos.repoMergePullRequest("o", "r", 7, { Do: "merge", head_commit_id: "b".repeat(40) }));
  assert.equal(moved?.status, 409, "a merge pinned to another head: 409");
  assert.match(moved.error?.message ?? "", /out of date/, "409 head moved: Gitea's message");
  const merged = await api.repos.repoMergePullRequest("o", "r", 7, { Do: "merge", head_commit_id: head });
  assert.equal(merged.status, 200, "the merge: 200");
  assert.equal((await api.repos.repoPullRequestIsMerged("o", "r", 7)).status, 204, "merged: 204");
  const again = await failed(api.repos.repoMergePullRequest("o", "r", 7, { Do: "merge", head_commit_id: head }));
  assert.equal(again?.status, 405, "a second merge: 405");

  const made = await api.repos.issueCreateComment("o", "r", 7, { body: "first" });
  assert.equal(made.status, 201, "comment created: 201");
  assert.equal(typeof made.data.id, "number", "Comment.id");
  assert.equal(made.data.user?.login, user.data.login, "Comment.user.login is the token's user");
  const list = await api.repos.issueGetComments("o", "r", 7);
  assert.ok(list.data.some((c) => c.id === made.data.id && c.body === "first"), "the comment is listed");
  const edited = await api.repos.issueEditComment("o", "r", made.data.id, { body: "second" });
  assert.equal(edited.data.body, "second", "the edited comment's body");
}

async function plane() {
  const client = new PlaneClient({ baseUrl: base, apiKey: "good" });
  const states = await client.states.list("acme", P1);
  assert.ok(Array.isArray(states.results), "PaginatedResponse.results");
  assert.ok(states.results.length > 0 && states.results.every((s) => s.id && s.name && s.group), "State id, name, group");
  assert.ok(!states.results.some((s) => s.name === "Triage"), "the triage state is not listed");
  const item = await client.workItems.retrieve("acme", P1, I1);
  assert.equal(item.id, I1, "WorkItem.id");
  assert.equal(typeof item.sequence_id, "number", "WorkItem.sequence_id");
  const moved = await client.workItems.update("acme", P1, I1, { state: DONE });
  assert.equal(moved.state, DONE, "the PATCHed state is echoed");
  const missing = await failed(client.workItems.retrieve("acme", P1, "a1000000-0000-4000-8000-000000000099"));
  assert.equal(missing?.statusCode, 404, "an unknown work item: 404");

  const bad = new PlaneClient({ baseUrl: base, apiKey: "wrong" });
  const refused = await failed(bad.states.list("acme", P1));
  assert.equal(refused?.statusCode, 403, `bad key: 403 (${refused})`);
  assert.equal(typeof refused.response?.detail, "string", "bad key: a DRF {\"detail\"} body");
  const outsider = await failed(client.states.list("acme", P2));
  assert.equal(outsider?.statusCode, 403, `not a member of the project: 403 (${outsider})`);
  assert.notEqual(outsider.response?.detail, refused.response?.detail, "the two 403s differ in detail");
}

for (const [name, f] of [["gitea", gitea], ["plane", plane]])
  await f().catch((e) => { console.log(`${name}: ${e.message}`); process.exitCode = 1; });
