// Reads the project's langgraph.json, the same file `langgraphjs dev` reads (spec §2.1).
import fs from "node:fs";
import path from "node:path";
import type { StepLimits } from "../../workflows/shared.ts";
import { MAX_TTL_MINUTES } from "../api-types.ts";
import { parseGraphConfigs } from "../settings.ts";
import type { AuthSettings } from "../auth/custom-auth.ts";
import { parseStoreConfig, type StoreConfig } from "../store/store-config.ts";

export interface GraphSpec {
  graphId: string;
  /** Absolute path of the module that exports the graph. */
  file: string;
  exportName: string;
  description: string | null;
}

export interface LangGraphProject {
  graphs: GraphSpec[];
  /** Variables for the graphs' code, from `env` (an object or a .env file). */
  env: Record<string, string>;
  /** Keys we accept but do not act on (logged once at start-up). */
  ignoredKeys: string[];
  /** Per-graph overrides of the step limits and `local_steps` (object form of a `graphs` entry), by graph id. */
  stepLimits: Record<string, Partial<StepLimits>>;
  http: HttpConfig;
  /** `LANGGRAPH_CONFIG` given in `env`: system assistants' `config`/`context` by graph id. */
  graphConfigs: Record<string, Record<string, unknown>>;
  /** Custom auth (`auth` with a `path`); absent: every request is served as today. */
  auth?: AuthSettings;
  /** `store`: semantic search index and item TTLs (spec §3.9). */
  store: StoreConfig;
  /** The folder of langgraph.json, against which its paths resolve. */
  root: string;
  /** `checkpointer.ttl`: how threads expire. */
  threadTtl: ThreadTtlConfig;
}

/** `checkpointer.ttl` of langgraph.json (Platform names; minutes). */
export interface ThreadTtlConfig {
  /** What happens to a thread past its TTL: deleted, or pruned to its latest checkpoint. */
  strategy: "delete" | "keep_latest";
  /** TTL of threads that set none; null: such threads never expire. */
  defaultTtlMinutes: number | null;
  /** How often expired threads are looked for. */
  sweepIntervalMinutes: number;
}

/** The Platform's default sweep interval. */
const DEFAULT_SWEEP_INTERVAL_MINUTES = 5;

/** The keys of a `graphs` entry object that override a step limit, and the limit each sets. */
const STEP_LIMIT_KEYS = {
  step_timeout_seconds: "timeoutSeconds",
  step_heartbeat_timeout_seconds: "heartbeatTimeoutSeconds",
  step_max_attempts: "maxAttempts",
  step_retry_initial_interval_ms: "retryInitialIntervalMs",
  max_run_seconds: "maxRunSeconds",
} as const satisfies Record<string, keyof StepLimits>;

export class ProjectConfigError extends Error {
  override name = "ProjectConfigError";
}

const USED_KEYS = new Set(["graphs", "env", "http", "auth", "store", "checkpointer"]);

export function readLangGraphJson(configPath: string): LangGraphProject {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(configPath, "utf8"));
  } catch (err) {
    throw new ProjectConfigError(`cannot read ${configPath}: ${(err as Error).message}`);
  }
  if (!isObject(raw) || !isObject(raw.graphs) || Object.keys(raw.graphs).length === 0) {
    throw new ProjectConfigError(`${configPath}: "graphs" must be an object naming at least one graph`);
  }
  const root = path.dirname(configPath);
  const entries = Object.entries(raw.graphs);
  const graphs = entries.map(([graphId, entry]) => parseGraphEntry(root, graphId, entry));
  const stepLimits = Object.fromEntries(
    entries.flatMap(([graphId, entry]) => {
      const limits = isObject(entry) ? parseStepLimits(graphId, entry) : {};
      return Object.keys(limits).length > 0 ? [[graphId, limits]] : [];
    }),
  );
  const env = readEnv(root, raw.env);
  let graphConfigs: Record<string, Record<string, unknown>>;
  try {
    graphConfigs = parseGraphConfigs(env.LANGGRAPH_CONFIG);
  } catch (err) {
    throw new ProjectConfigError(`${configPath}: "env": ${(err as Error).message}`);
  }
  return {
    graphs,
    env,
    http: parseHttpConfig(root, raw.http),
    graphConfigs,
    ignoredKeys: Object.keys(raw).filter((key) => !USED_KEYS.has(key)),
    stepLimits,
    auth: parseAuth(root, raw.auth),
    store: parseStoreConfig(raw.store),
    root,
    threadTtl: parseThreadTtl(raw.checkpointer),
  };
}

/** `{"path": "./auth.ts:auth", "disable_studio_auth": false}`; without a path, no custom auth (as the JS server). */
function parseAuth(root: string, auth: unknown): AuthSettings | undefined {
  if (auth === undefined || auth === null) return undefined;
  if (!isObject(auth)) throw new ProjectConfigError(`"auth" must be an object`);
  if (auth.path === undefined) return undefined;
  if (typeof auth.path !== "string" || auth.path === "") throw new ProjectConfigError(`"auth.path" must be "<file>:<export>"`);
  const disable = auth.disable_studio_auth ?? false;
  if (typeof disable !== "boolean") throw new ProjectConfigError(`"auth.disable_studio_auth" must be a boolean`);
  // The export defaults to `default`; an export name never holds a path separator ("C:\…").
  const colon = auth.path.lastIndexOf(":");
  const named = colon > 0 && !/[\\/]/.test(auth.path.slice(colon + 1));
  return {
    file: path.resolve(root, named ? auth.path.slice(0, colon) : auth.path),
    exportName: (named && auth.path.slice(colon + 1)) || "default",
    disableStudioAuth: disable,
  };
}

/** `{"ttl": {"strategy": "delete", "default_ttl": 43200, "sweep_interval_minutes": 10}}`; minutes may be fractional. */
function parseThreadTtl(checkpointer: unknown): ThreadTtlConfig {
  const ttl = isObject(checkpointer) ? checkpointer.ttl : undefined;
  if (ttl !== undefined && !isObject(ttl)) throw new ProjectConfigError(`"checkpointer.ttl" must be an object`);
  const strategy = ttl?.strategy ?? "delete";
  if (strategy !== "delete" && strategy !== "keep_latest") {
    throw new ProjectConfigError(`"checkpointer.ttl.strategy" must be "delete" or "keep_latest" (got ${JSON.stringify(strategy)})`);
  }
  return {
    strategy,
    defaultTtlMinutes: ttl?.default_ttl === undefined || ttl.default_ttl === null ? null : positiveMinutes("default_ttl", ttl.default_ttl),
    sweepIntervalMinutes: ttl?.sweep_interval_minutes === undefined ? DEFAULT_SWEEP_INTERVAL_MINUTES : positiveMinutes("sweep_interval_minutes", ttl.sweep_interval_minutes),
  };
}

function positiveMinutes(key: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0 && value <= MAX_TTL_MINUTES)) {
    throw new ProjectConfigError(`"checkpointer.ttl.${key}" must be a number of minutes > 0 and at most ${MAX_TTL_MINUTES} (a hundred years) (got ${JSON.stringify(value)})`);
  }
  return value;
}

function parseGraphEntry(root: string, graphId: string, entry: unknown): GraphSpec {
  const target = typeof entry === "string" ? entry : isObject(entry) ? entry.path : undefined;
  if (typeof target !== "string") {
    throw new ProjectConfigError(`graph "${graphId}": expected "<file>:<export>" or {"path": "<file>:<export>"}`);
  }
  const colon = target.lastIndexOf(":");
  if (colon <= 0 || colon === target.length - 1) {
    throw new ProjectConfigError(`graph "${graphId}": "${target}" must name an export, as "<file>:<export>"`);
  }
  const description = isObject(entry) && typeof entry.description === "string" ? entry.description : null;
  return {
    graphId,
    file: path.resolve(root, target.slice(0, colon)),
    exportName: target.slice(colon + 1),
    description,
  };
}

/** `{"path": …, "step_max_attempts": 2, "local_steps": true, …}`: each limit a positive integer. */
function parseStepLimits(graphId: string, entry: Record<string, unknown>): Partial<StepLimits> {
  const limits: Partial<StepLimits> = {};
  for (const [key, limit] of Object.entries(STEP_LIMIT_KEYS)) {
    const value = entry[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new ProjectConfigError(`graph "${graphId}": "${key}" must be an integer >= 1 (got ${JSON.stringify(value)})`);
    }
    limits[limit] = value;
  }
  const local = entry.local_steps;
  if (local !== undefined && typeof local !== "boolean") {
    throw new ProjectConfigError(`graph "${graphId}": "local_steps" must be a boolean (got ${JSON.stringify(local)})`);
  }
  if (local !== undefined) limits.local = local;
  return limits;
}

function readEnv(root: string, env: unknown): Record<string, string> {
  if (env === undefined) return {};
  if (typeof env === "string") return parseDotEnv(fs.readFileSync(path.resolve(root, env), "utf8"));
  if (isObject(env)) return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
  throw new ProjectConfigError(`"env" must be an object or the path of a .env file`);
}

/** KEY=VALUE lines; `#` comments; optional quotes around the value. */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith("#")) continue;
    out[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, "$2");
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// The `http` key (issue 12), read as the official JS server reads it (`StartServerSchema` of
// @langchain/langgraph-api): a custom app, route groups to disable, CORS, and which request
// headers a run's config receives.
export type RouteGroup = "assistants" | "threads" | "runs" | "store" | "meta";
const ROUTE_GROUPS: RouteGroup[] = ["assistants", "threads", "runs", "store", "meta"];

export interface CorsConfig {
  allow_origins?: string[];
  allow_methods?: string[];
  allow_headers?: string[];
  allow_credentials?: boolean;
  allow_origin_regex?: string;
  expose_headers?: string[];
  max_age?: number;
}

/** `includes` / `excludes` patterns (exact names or `*` wildcards); null = the default rule. */
export interface HeaderRules {
  includes: string[] | null;
  excludes: string[];
}

export interface HttpConfig {
  /** `http.app`: the module and export of an app with a Fetch-API `fetch(request)`. */
  app: { file: string; exportName: string } | null;
  disabled: Record<RouteGroup, boolean>;
  cors: CorsConfig | null;
  configurableHeaders: HeaderRules;
}

export function parseHttpConfig(root: string, raw: unknown): HttpConfig {
  const http = raw === undefined ? {} : raw;
  if (!isObject(http)) throw new ProjectConfigError(`"http" must be an object`);
  const disabled = Object.fromEntries(ROUTE_GROUPS.map((group) => [group, flag(http, `disable_${group}`)])) as Record<RouteGroup, boolean>;
  return { app: parseApp(root, http.app), disabled, cors: parseCors(http.cors), configurableHeaders: parseHeaderRules(http.configurable_headers) };
}

function parseApp(root: string, app: unknown): HttpConfig["app"] {
  if (app === undefined) return null;
  if (typeof app !== "string" || app === "") throw new ProjectConfigError(`"http.app" must be "<file>" or "<file>:<export>"`);
  // As the official server: the export defaults to `default`.
  const [file, exportName] = app.split(":", 2) as [string, string | undefined];
  return { file: path.resolve(root, file), exportName: exportName || "default" };
}

function parseCors(cors: unknown): CorsConfig | null {
  if (cors === undefined || cors === null) return null;
  if (!isObject(cors)) throw new ProjectConfigError(`"http.cors" must be an object`);
  const out: CorsConfig = {};
  for (const key of ["allow_origins", "allow_methods", "allow_headers", "expose_headers"] as const) {
    if (cors[key] !== undefined) out[key] = strings(cors[key], `http.cors.${key}`);
  }
  if (cors.allow_credentials !== undefined) out.allow_credentials = flag(cors, "allow_credentials", "http.cors.");
  if (cors.allow_origin_regex !== undefined) {
    if (typeof cors.allow_origin_regex !== "string") throw new ProjectConfigError(`"http.cors.allow_origin_regex" must be a string`);
    try {
      new RegExp(cors.allow_origin_regex);
    } catch (err) {
      throw new ProjectConfigError(`"http.cors.allow_origin_regex": ${(err as Error).message}`);
    }
    out.allow_origin_regex = cors.allow_origin_regex;
  }
  if (cors.max_age !== undefined) {
    if (typeof cors.max_age !== "number" || !Number.isInteger(cors.max_age) || cors.max_age < 0) {
      throw new ProjectConfigError(`"http.cors.max_age" must be an integer >= 0`);
    }
    out.max_age = cors.max_age;
  }
  return out;
}

/** LangGraph Platform spells them `includes`/`excludes`; older docs `include`/`exclude`. */
function parseHeaderRules(raw: unknown): HeaderRules {
  if (raw === undefined || raw === null) return { includes: null, excludes: [] };
  if (!isObject(raw)) throw new ProjectConfigError(`"http.configurable_headers" must be an object`);
  const includes = raw.includes ?? raw.include;
  const excludes = raw.excludes ?? raw.exclude;
  return {
    includes: includes === undefined ? null : strings(includes, "http.configurable_headers.includes"),
    excludes: excludes === undefined ? [] : strings(excludes, "http.configurable_headers.excludes"),
  };
}

function flag(source: Record<string, unknown>, key: string, prefix = "http."): boolean {
  const value = source[key] ?? false;
  if (typeof value !== "boolean") throw new ProjectConfigError(`"${prefix}${key}" must be true or false`);
  return value;
}

function strings(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) throw new ProjectConfigError(`"${name}" must be a list of strings`);
  return value;
}

