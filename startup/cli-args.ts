// The options of `dev`, `serve` and `worker`, in the manner of `langgraphjs dev` (issue 17), so
// that a project switching from `npx @langchain/langgraph-cli dev` keeps its command line:
// `-c/--config` (a file, or a folder holding langgraph.json), `-p/--port`, `-h/--host`. Its
// flags that mean nothing here are accepted with a note; those we cannot honour are refused
// by name.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { SettingsOverrides } from "../src/settings.ts";

/** `doctor` takes the options of `dev`, whose start it checks. */
export type ServerCommand = "dev" | "serve" | "worker" | "doctor";

export interface CliArgs {
  overrides: SettingsOverrides;
  /** Lines to print: flags accepted but without effect here. */
  notes: string[];
}

export class CliArgsError extends Error {
  override name = "CliArgsError";
}

const OPTIONS = {
  config: { type: "string", short: "c" },
  "data-dir": { type: "string" },
  host: { type: "string", short: "h" },
  port: { type: "string", short: "p" },
  // langgraphjs dev flags without an effect here.
  browser: { type: "boolean" },
  "no-browser": { type: "boolean" },
  reload: { type: "boolean" },
  "no-reload": { type: "boolean" },
  "n-jobs-per-worker": { type: "string", short: "n" },
  // langgraphjs / langgraph dev flags this server cannot honour.
  tunnel: { type: "boolean" },
  "debug-port": { type: "string" },
  "wait-for-client": { type: "boolean" },
  "studio-url": { type: "string" },
  "allow-blocking": { type: "boolean" },
} as const;

const WITHOUT_EFFECT: Record<string, string> = {
  browser: "never opens a browser",
  "no-browser": "never opens a browser",
  reload: "does not reload on code changes: restart it to load changed graphs",
  "no-reload": "does not reload on code changes",
  "n-jobs-per-worker": "runs as many steps at once as the Temporal worker takes",
};

const UNSUPPORTED: Record<string, string> = {
  tunnel: "expose the API with a tunnel of your own",
  "debug-port": "start Node with --inspect instead",
  "wait-for-client": "start Node with --inspect-brk instead",
  "studio-url": "LangGraph Studio is not bundled; point it at the API URL",
  "allow-blocking": "a Python-only option",
};

/** The options of a server command; throws CliArgsError naming the first bad one. */
export function parseServerArgs(command: ServerCommand, args: string[], cwd = process.cwd()): CliArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new CliArgsError(`${(err as Error).message.replace(/\. To specify.*$/s, "")} (see langgraph-temporal --help)`);
  }
  for (const [name, hint] of Object.entries(UNSUPPORTED)) {
    if (values[name] !== undefined) throw new CliArgsError(`--${name} is not supported by langgraph-temporal: ${hint}`);
  }
  if (command === "worker" && (values.host !== undefined || values.port !== undefined)) {
    throw new CliArgsError("worker serves no API: --host and --port apply to dev and serve");
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new CliArgsError(`--port must be a port number, got "${String(values.port)}"`);
  }
  const notes = Object.entries(WITHOUT_EFFECT)
    .filter(([name]) => values[name] !== undefined)
    .map(([name, effect]) => `--${name} accepted: langgraph-temporal ${effect}`);
  return {
    overrides: {
      configPath: values.config === undefined ? undefined : configFile(String(values.config), cwd),
      dataDir: values["data-dir"] as string | undefined,
      host: values.host as string | undefined,
      port,
    },
    notes,
  };
}

/** `--config` names the file, or (as in langgraphjs dev) the folder that holds langgraph.json. */
function configFile(value: string, cwd: string): string {
  const resolved = path.resolve(cwd, value);
  return fs.statSync(resolved, { throwIfNoEntry: false })?.isDirectory() ? path.join(resolved, "langgraph.json") : resolved;
}
