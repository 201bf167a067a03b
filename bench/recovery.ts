// Crash recovery of our server: the API (`serve`) and two `worker` processes on one Temporal
// dev server. A run of the slow graph a → b → c is started; while b runs, the worker running
// it is SIGKILLed; the time until b starts again on the other worker is the recovery time.
// The run's steps are local activities (the default), which have no heartbeats: the step starts
// again, by replay on the other worker, once the run's workflow task times out. That timeout is
// the step heartbeat timeout (the server's default, unless the environment sets
// STEP_HEARTBEAT_TIMEOUT_SECONDS), so the recovery time is at most about that.
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { readSettings } from "../src/settings.ts";
import { provisionTemporalCli } from "../src/temporal/cli-binary.ts";
import { freePort, startDevServer } from "../src/temporal/dev-server.ts";
import { killOnExit, spawnNode, type Child } from "./systems/child.ts";
import { sdkDrivers } from "./systems/http-driver.ts";
import { summarize, type Summary } from "./stats.ts";
import type { Plan } from "./plan.ts";

const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));
const CLI = path.join(REPO_ROOT, "bin/langgraph-temporal.js");

export interface RecoveryTrial {
  /** SIGKILL of the worker running step b → step b starting on the other worker. */
  recoveryMs: number;
  /** The whole run, create → join, including the three slow nodes. */
  runMs: number;
  status: string;
}

export interface RecoveryResult {
  heartbeatTimeoutSeconds: number;
  retryInitialIntervalMs: number;
  slowNodeMs: number;
  trials: RecoveryTrial[];
  recovery: Summary;
}

interface NodeStart {
  pid: number;
  node: string;
  at: number;
}

function nodeStarts(logFile: string, threadId: string): NodeStart[] {
  if (!fs.existsSync(logFile)) return [];
  return fs
    .readFileSync(logFile, "utf8")
    .split("\n")
    .map((line) => line.split(" "))
    .filter((fields) => fields[1] === threadId && fields[2] === "start")
    .map((fields) => ({ pid: Number(fields[0]), node: fields[3]!, at: Number(fields[4]) }));
}

async function waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export async function measureRecovery(options: { plan: Plan["recovery"]; config: string; workDir: string; env: NodeJS.ProcessEnv }): Promise<RecoveryResult> {
  const { plan, config, workDir } = options;
  const dataDir = fs.mkdtempSync(path.join(workDir, "recovery-"));
  const logFile = path.join(dataDir, "node-starts.log");
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    BENCH_NODE_LOG: logFile,
    BENCH_SLOW_NODE_MS: String(plan.slowNodeMs),
  };
  const settings = readSettings(env);
  const binary = await provisionTemporalCli(settings.temporal);
  const temporalAddress = `127.0.0.1:${await freePort()}`;
  const temporal = await startDevServer({ binary, address: temporalAddress, namespace: "default", uiPort: undefined, dbFile: undefined });
  killOnExit(temporal.process);
  env.TEMPORAL_ADDRESS = temporalAddress;

  const children: Child[] = [];
  const startCli = (args: string[]) => {
    const child = spawnNode([CLI, ...args, "--config", config, "--data-dir", dataDir], { cwd: REPO_ROOT, env, tsx: false });
    children.push(child);
    return child;
  };
  const startWorker = async () => {
    const worker = startCli(["worker"]);
    await worker.waitFor(/worker polling/);
    return worker;
  };
  try {
    const port = await freePort();
    const api = startCli(["serve", "--port", String(port)]);
    const [workers] = await Promise.all([Promise.all([startWorker(), startWorker()]), api.waitFor(/API: /)]);
    const driver = sdkDrivers(`http://127.0.0.1:${port}`)();
    const trials: RecoveryTrial[] = [];
    for (let trial = 0; trial < plan.trials; trial++) {
      const threadId = await driver.createThread();
      const started = performance.now();
      const runId = await driver.createRun(threadId, "slow", {});
      // 1. step b is running: a has committed, so only b's progress can be lost
      const running = await waitFor(() => nodeStarts(logFile, threadId).find((s) => s.node === "b"), 60_000, "step b to start");
      const victim = workers.find((w) => w.pid === running.pid);
      if (!victim) throw new Error(`step b ran in pid ${running.pid}, which is not one of the bench's workers`);
      // 2. SIGKILL the worker running it
      const killedAt = Date.now();
      process.kill(-victim.pid, "SIGKILL");
      // 3. b starts again on the other worker
      const retried = await waitFor(
        () => nodeStarts(logFile, threadId).find((s) => s.node === "b" && s.pid !== victim.pid),
        120_000,
        "step b to restart on the other worker",
      );
      const result = (await driver.join(threadId, runId)) as { visited?: string[] };
      trials.push({
        recoveryMs: retried.at - killedAt,
        runMs: performance.now() - started,
        status: result.visited?.join(",") === "a,b,c" ? "success" : `unexpected result ${JSON.stringify(result)}`,
      });
      // 4. two workers again for the next trial
      await victim.stop(0);
      workers.splice(workers.indexOf(victim), 1, await startWorker());
    }
    return {
      heartbeatTimeoutSeconds: settings.steps.heartbeatTimeoutSeconds,
      retryInitialIntervalMs: settings.steps.retryInitialIntervalMs,
      slowNodeMs: plan.slowNodeMs,
      trials,
      recovery: summarize(trials.map((t) => t.recoveryMs)),
    };
  } finally {
    for (const child of children) await child.stop(5_000);
    await temporal.stop();
  }
}
