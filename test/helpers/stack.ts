// Brings up a real server stack for a test file: SQLite in a temporary folder, the shared
// Temporal dev server, a worker (in this process or none), and the API on a free port.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";
import { Client as SdkClient } from "@langchain/langgraph-sdk";
import { buildApp, type App } from "../../server/app.ts";
import { listen } from "../../server/server.ts";
import { openApiServices, openCore, startWorker, type ApiServices, type Core, type RunningWorker } from "../../startup/runtime.ts";
import { readSettings, type Env, type Settings } from "../../src/settings.ts";

export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface StackOptions {
  /** Run a worker in this process (default true); false when a test starts worker processes. */
  inProcessWorker?: boolean;
  env?: Env;
  /** The langgraph.json to serve (default the fixtures' own). */
  configPath?: string;
}

export interface Stack {
  url: string;
  sdk: SdkClient;
  settings: Settings;
  /** Environment that a worker process of this stack must get. */
  env: Env;
  core: Core;
  api: ApiServices;
  app: App;
  worker: RunningWorker | undefined;
  dataDir: string;
  stop(): Promise<void>;
}

let counter = 0;

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-test-"));
  const env: Env = {
    ...process.env,
    TEMPORAL_ADDRESS: inject("temporalAddress"),
    TEMPORAL_CLI_PATH: inject("temporalCli"),
    // Each stack has its own queue, so no other test's worker picks up its runs.
    TEMPORAL_TASK_QUEUE: `test-${process.pid}-${++counter}-${Date.now()}`,
    STEP_HEARTBEAT_TIMEOUT_SECONDS: "3",
    STEP_RETRY_INITIAL_INTERVAL_MS: "200",
    NODE_EXECUTION_LOG: path.join(dataDir, "node-executions.log"),
    ...options.env,
  };
  const settings = readSettings(env, { configPath: options.configPath ?? path.join(FIXTURES, "langgraph.json"), dataDir, host: "127.0.0.1", port: 0 });
  // Graphs run by the in-process worker read this process's environment.
  Object.assign(process.env, { NODE_EXECUTION_LOG: env.NODE_EXECUTION_LOG }, options.env);
  const core = await openCore(settings);
  const worker = options.inProcessWorker === false ? undefined : await startWorker(settings, core);
  // Like `dev`: the API shares the in-process worker's connection (eager workflow start).
  const api = await openApiServices(settings, core, worker);
  const app = await buildApp({ services: api.services });
  const url = await listen(app, settings.host, 0);
  return {
    url,
    sdk: new SdkClient({ apiUrl: url }),
    settings,
    env,
    core,
    api,
    app,
    worker,
    dataDir,
    async stop() {
      await app.close();
      await worker?.shutdown();
      await api.close();
      await core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Reads the lines that the slow test graph wrote for one thread. */
export function nodeExecutions(stack: Stack, threadId: string): string[] {
  const file = stack.env.NODE_EXECUTION_LOG!;
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.startsWith(`${threadId} `))
    .map((line) => line.slice(threadId.length + 1));
}
