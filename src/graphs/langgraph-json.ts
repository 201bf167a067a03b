// Reads the project's langgraph.json, the same file `langgraphjs dev` reads (spec §2.1).
import fs from "node:fs";
import path from "node:path";
import type { StepLimits } from "../../workflows/shared.ts";

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
  /** Per-graph overrides of the step limits (object form of a `graphs` entry), by graph id. */
  stepLimits: Record<string, Partial<StepLimits>>;
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

const USED_KEYS = new Set(["graphs", "env", "checkpointer"]);

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
  return {
    graphs,
    env: readEnv(root, raw.env),
    ignoredKeys: Object.keys(raw).filter((key) => !USED_KEYS.has(key)),
    stepLimits,
    threadTtl: parseThreadTtl(raw.checkpointer),
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
  if (typeof value !== "number" || !(value > 0)) throw new ProjectConfigError(`"checkpointer.ttl.${key}" must be a number of minutes > 0 (got ${JSON.stringify(value)})`);
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

/** `{"path": …, "step_max_attempts": 2, …}`: each given key must be a positive integer. */
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
