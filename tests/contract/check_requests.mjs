// Usage: node check_requests.mjs LOG [service...] — every logged request must be an operation the
// official client defines, and every top-level body field a field of that operation's body type.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { giteaOperations, planeOperations } from "./operations.mjs";

const TELEGRAM_SEND = new Set(["chat_id", "message_thread_id", "text", "parse_mode", "entities",
  "link_preview_options", "disable_web_page_preview", "disable_notification", "protect_content",
  "reply_parameters", "reply_markup", "business_connection_id", "message_effect_id"]);

function serviceOf(path) {
  if (/^\/bot[^/]+\//.test(path)) return "telegram";
  if (path.startsWith("/api/v1/workspaces/")) return "plane";
  return "gitea";
}

// The fake logs the body as the raw text; a JSON object's top-level keys are the fields. null:
// a body that is there but not a JSON object (every API orchkit calls takes JSON), which no
// field check could vouch for.
function bodyFields(body) {
  let v = body;
  if (v === null || v === undefined || v === "") return [];
  if (typeof v === "string") try { v = JSON.parse(v); } catch { return null; }
  return v && typeof v === "object" && !Array.isArray(v) ? Object.keys(v) : null;
}

// Plane before v1.1.0 named work items issues/; SDK 0.2.12 knows only work-items/. orchkit sends
// issues/ only after a plain (non-JSON) 404 for work-items/: checked as the work-items/ operation.
const legacyPlane = (path) => path.replace(/(\/projects\/[^/]+)\/issues\//, "$1/work-items/");

function queryKeys(rawPath) {
  const q = rawPath.includes("?") ? rawPath.slice(rawPath.indexOf("?") + 1) : "";
  return [...new URLSearchParams(q).keys()];
}

function checkOne(req, ops) {
  const path = req.path.split("?")[0];
  const service = serviceOf(path);
  const fields = bodyFields(req.body);
  const what = `${req.method} ${path}`;
  if (fields === null) return [`${what}: the body is not a JSON object`];
  if (service === "telegram") {
    if (!/^\/bot[^/]+\/sendMessage$/.test(path)) return [`${what}: not a sendMessage path`];
    return fields.filter((f) => !TELEGRAM_SEND.has(f)).map((f) => `${what}: field ${f} is not a sendMessage field`);
  }
  const target = service === "plane" ? legacyPlane(path) : path;
  const op = ops[service].find((o) => o.method === req.method && o.re.test(target));
  if (!op) return [`${what}: no ${service} client operation`];
  const errors = [];
  if (op.body) errors.push(...fields.filter((f) => !op.body.has(f)).map((f) => `${what}: field ${f} is not in ${op.name}'s body`));
  if (op.query)
    errors.push(...queryKeys(req.path).filter((k) => !op.query.has(k)).map((k) => `${what}: query parameter ${k} is not one of ${op.name}'s`));
  return errors;
}

const [log, ...expected] = process.argv.slice(2);
const modules = join(process.env.CONTRACT_MODULES ?? dirname(new URL(import.meta.url).pathname), "node_modules");
const ops = { gitea: giteaOperations(modules), plane: planeOperations(modules) };
const reqs = readFileSync(log, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const errors = reqs.flatMap((r) => checkOne(r, ops));
for (const s of expected)
  if (!reqs.some((r) => serviceOf(r.path) === s)) errors.push(`no ${s} request in ${log}: fail-closed`);
for (const e of errors) console.log(e);
process.exit(errors.length ? 1 : 0);
