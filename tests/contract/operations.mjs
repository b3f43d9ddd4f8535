// The operations the official clients define, read from the installed packages: for each, the
// method, a path regex, the body's field names (null: not checked) and the query's parameter
// names (null: not checked).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

const toRegex = (template, base) =>
  new RegExp("^" + base + template.replace(/\$\{[^}]+\}|\{[^}]+\}/g, "[^/]+").replace(/[.?]/g, "\\$&") + "$");

// The property names of `interface NAME { ... }` in some .d.ts text, with those of the interfaces
// it extends; `type NAME = Partial<OTHER>` is OTHER's (null when neither is found).
function interfaceFields(dts, name) {
  const alias = dts.match(new RegExp(`type ${name} = Partial<(\\w+)>;`));
  if (alias) return interfaceFields(dts, alias[1]);
  const m = dts.match(new RegExp(`interface ${name}(?: extends ([\\w, ]+))? \\{([^}]*)\\}`));
  if (!m) return null;
  const fields = new Set([...m[2].matchAll(/^\s*(\w+)\??:/gm)].map((f) => f[1]));
  for (const base of (m[1] ?? "").split(",").map((b) => b.trim()).filter(Boolean))
    for (const f of interfaceFields(dts, base) ?? []) fields.add(f);
  return fields;
}

// gitea-js (swagger-typescript-api): `name: (...) => this.request({ path: `/repos/${owner}/...`,
// method: "POST"` in index.js; `name: (owner: string, ..., query?: {...}, body: Type, params?)` in
// index.d.ts.
function giteaJsOperations(modules) {
  const js = readFileSync(join(modules, "gitea-js/dist/index.js"), "utf8");
  const dts = readFileSync(join(modules, "gitea-js/dist/index.d.ts"), "utf8");
  const ops = [];
  const re = /(\w+): \([^)]*\) => this\.request\(__spreadValues\(\{\s*path: `([^`]*)`,\s*method: "([A-Z]+)"/g;
  for (const m of js.matchAll(re)) {
    const start = dts.search(new RegExp(`\\b${m[1]}: \\(`));
    const sig = start < 0 ? "" : dts.slice(start, dts.indexOf("=> Promise", start));
    const type = sig.match(/\bbody: (\w+)/)?.[1];
    const query = sig.match(/\bquery\??: \{([\s\S]*?)\n\s*\}, /)?.[1];
    ops.push({ service: "gitea", name: m[1], source: "gitea-js", method: m[3], re: toRegex(m[2], "/api/v1"),
      body: type ? interfaceFields(dts, type) : null,
      query: new Set(query ? [...query.matchAll(/^\s*(\w+)\??:/gm)].map((f) => f[1]) : []) });
  }
  return ops;
}

// Operations newer than the newest gitea-js, from Gitea's own swagger (gitea-newer-ops.json,
// written by extract_gitea_ops.mjs).
function giteaNewerOperations() {
  const file = join(dirname(new URL(import.meta.url).pathname), "gitea-newer-ops.json");
  return JSON.parse(readFileSync(file, "utf8")).operations.map((o) => ({ service: "gitea", name: o.name,
    source: "gitea swagger", method: o.method, re: toRegex(o.path, "/api/v1"),
    body: o.body ? new Set(o.body) : null, query: new Set(o.query) }));
}

export function giteaOperations(modules) {
  return [...giteaJsOperations(modules), ...giteaNewerOperations()];
}

function files(dir, ext) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p, ext);
    return p.endsWith(ext) ? [p] : [];
  });
}

// Plane SDK: `async name(a, b, body) { return this.patch(`/workspaces/...`, body); }` in a resource
// class; the body's type from `name(..., body: Type)` in the class's .d.ts, its fields from the
// models. The SDK sends list parameters as an object: the query is not checked.
export function planeOperations(modules) {
  const root = join(modules, "@makeplane/plane-node-sdk/dist");
  const models = files(join(root, "models"), ".d.ts").map((f) => readFileSync(f, "utf8")).join("\n");
  const ops = [];
  for (const file of files(join(root, "api"), ".js")) {
    const js = readFileSync(file, "utf8");
    const dts = readFileSync(file.replace(/\.js$/, ".d.ts"), "utf8");
    const re = /async (\w+)\(([^)]*)\) \{\s*return this\.(get|post|patch|put|httpDelete|delete)\w*\(\s*`([^`]*)`(?:, (\w+))?/g;
    for (const m of js.matchAll(re)) {
      const method = m[3] === "httpDelete" ? "DELETE" : m[3].toUpperCase();
      const type = method === "GET" || !m[5] ? null : dts.match(new RegExp(`\\b${m[1]}\\([^)]*\\b${m[5]}: (\\w+)`))?.[1];
      ops.push({ service: "plane", name: m[1], source: "plane-node-sdk", method, re: toRegex(m[4], "/api/v1"),
        body: type ? interfaceFields(models, type) : null, query: null });
    }
  }
  return ops;
}
