// The (method, path template) pairs the official clients define, read from the installed packages.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const toRegex = (template, base) =>
  new RegExp("^" + base + template.replace(/\$\{[^}]+\}/g, "[^/]+").replace(/[.?]/g, "\\$&") + "$");

// gitea-js (swagger-typescript-api): `path: \`/repos/${owner}/...\`, method: "POST"`.
export function giteaOperations(modules) {
  const js = readFileSync(join(modules, "gitea-js/dist/index.js"), "utf8");
  const dts = readFileSync(join(modules, "gitea-js/dist/index.d.ts"), "utf8");
  const ops = [];
  const re = /(\w+): \([^)]*\) => this\.request\(__spreadValues\(\{\s*path: `([^`]*)`,\s*method: "([A-Z]+)"/g;
  for (const m of js.matchAll(re)) {
    const type = dts.match(new RegExp(`\\b${m[1]}: \\([^)]*body: (\\w+)`))?.[1];
    ops.push({ service: "gitea", name: m[1], method: m[3], template: m[2], re: toRegex(m[2], "/api/v1"),
      body: type ? interfaceFields(dts, type) : null });
  }
  return ops;
}

// The property names of `interface NAME { ... }` in a .d.ts (null when not an interface).
function interfaceFields(dts, name) {
  const m = dts.match(new RegExp(`interface ${name} \\{([^}]*)\\}`));
  return m ? new Set([...m[1].matchAll(/^\s*(\w+)\??:/gm)].map((f) => f[1])) : null;
}

function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return jsFiles(p);
    return p.endsWith(".js") ? [p] : [];
  });
}

// Plane SDK: resource classes call this.get/post/patch/put/delete(`/workspaces/...`).
export function planeOperations(modules) {
  const ops = [];
  for (const file of jsFiles(join(modules, "@makeplane/plane-node-sdk/dist/api"))) {
    const js = readFileSync(file, "utf8");
    for (const m of js.matchAll(/this\.(get|post|patch|put|delete)\w*\(\s*`([^`]*)`/g))
      ops.push({ service: "plane", method: m[1].toUpperCase(), template: m[2], re: toRegex(m[2], "/api/v1") });
  }
  return ops;
}
