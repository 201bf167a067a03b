// Reads the project's langgraph.json, the same file `langgraphjs dev` reads (spec §2.1).
import fs from "node:fs";
import path from "node:path";

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
}

export class ProjectConfigError extends Error {
  override name = "ProjectConfigError";
}

const USED_KEYS = new Set(["graphs", "env"]);

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
  const graphs = Object.entries(raw.graphs).map(([graphId, entry]) => parseGraphEntry(root, graphId, entry));
  return {
    graphs,
    env: readEnv(root, raw.env),
    ignoredKeys: Object.keys(raw).filter((key) => !USED_KEYS.has(key)),
  };
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
