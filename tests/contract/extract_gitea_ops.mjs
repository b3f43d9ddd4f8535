// Usage: node extract_gitea_ops.mjs SWAGGER [PATH_PREFIX...] > gitea-newer-ops.json
// The operations of a Gitea swagger document (a server's /swagger.v1.json, or Gitea's
// templates/swagger/v1_json.tmpl) under the given path prefixes (default: the Actions runs API),
// in the form operations.mjs reads: the ones orchkit sends that gitea-js does not know yet.
import { readFileSync } from "node:fs";

const [file, ...prefixes] = process.argv.slice(2);
if (!file) {
  console.error("usage: node extract_gitea_ops.mjs SWAGGER [PATH_PREFIX...]");
  process.exit(2);
}
const wanted = prefixes.length ? prefixes : ["/repos/{owner}/{repo}/actions/runs"];
// The template's Go placeholders are not JSON: drop them.
const swagger = JSON.parse(readFileSync(file, "utf8").replace(/\{\{[^}]*\}\}/g, ""));
const operations = [];
for (const [path, item] of Object.entries(swagger.paths ?? {})) {
  if (!wanted.some((p) => path.startsWith(p))) continue;
  for (const [method, op] of Object.entries(item)) {
    if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
    const params = op.parameters ?? [];
    const bodyRef = params.find((p) => p.in === "body")?.schema?.$ref?.split("/").pop();
    const body = bodyRef ? Object.keys(swagger.definitions?.[bodyRef]?.properties ?? {}) : null;
    operations.push({ name: op.operationId, method: method.toUpperCase(), path,
      query: params.filter((p) => p.in === "query").map((p) => p.name), body });
  }
}
operations.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
const source = `${swagger.info?.title ?? "Gitea API"} ${swagger.info?.version ?? ""}`.trim();
process.stdout.write(JSON.stringify({ source, operations }, null, 2) + "\n");
