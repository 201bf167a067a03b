// The Temporal dev server is SIGKILLed while runs are in flight and started again on the same
// SQLite file. The runs' histories survive in that file: they resume and finish, and the
// step activity's idempotence keeps completed steps from running again.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort, type DevServer } from "../../src/temporal/dev-server.ts";
import { startStack, type Stack } from "../helpers/stack.ts";
import { recordFaults } from "./ledger.ts";
import { ChildProcesses, countSteps, faultFreeSteps, readNodeLog, startTemporalOnFile, startSeededRuns, waitUntil } from "./harness.ts";

const RUNS = 5;
/** Long enough for the worker and the API to notice the server is gone. */
const DOWNTIME_MS = 4000;

let temporalDir: string;
let temporal: DevServer | undefined;
let stack: Stack;
const workers = new ChildProcesses();

beforeAll(async () => {
  temporalDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-temporal-"));
  temporal = await startTemporalOnFile(temporalDir, `127.0.0.1:${await freePort()}`);
  stack = await startStack({
    inProcessWorker: false,
    env: { TEMPORAL_ADDRESS: temporal.address, STEP_NODE_MS: "1500", STEP_HEARTBEAT_TIMEOUT_SECONDS: "2", STEP_MAX_ATTEMPTS: "5" },
  });
});
afterAll(async () => {
  await workers.killAll();
  await stack?.stop();
  await temporal?.stop();
  fs.rmSync(temporalDir, { recursive: true, force: true });
});

it("resumes and finishes in-flight runs after Temporal restarts on its SQLite file", async () => {
  // 1. a worker process and five runs of the six-step graph
  const worker = await workers.startWorker(stack);
  const runs = await startSeededRuns(stack.sdk, RUNS);
  const threadIds = runs.map((r) => r.threadId);
  const log = () => readNodeLog(stack.env.NODE_EXECUTION_LOG!, threadIds);

  // 2. SIGKILL Temporal once every run has completed a step, and keep it down a while
  await waitUntil(() => log().filter((e) => e.event === "end").length >= RUNS, 60_000, "a step of every run");
  const address = temporal!.address;
  temporal!.process.kill("SIGKILL");
  await new Promise((resolve) => temporal!.process.once("exit", resolve));
  await new Promise((resolve) => setTimeout(resolve, DOWNTIME_MS));

  // 3. the same server, on the same file and address; the worker process lives through it
  temporal = await startTemporalOnFile(temporalDir, address);
  const joined = await Promise.all(runs.map((r) => stack.sdk.runs.join(r.threadId, r.runId)));
  expect(worker.child.exitCode).toBeNull();

  // 4. every run ended as it would have without the fault, and no completed step ran again
  const finals = await Promise.all(runs.map(async (r) => (await stack.sdk.runs.get(r.threadId, r.runId)).status));
  const expected = await Promise.all(runs.map((r) => faultFreeSteps(r.seed)));
  const steps = countSteps(log(), []);
  const finished = finals.filter((s) => s === "success").length;
  recordFaults({
    scenario: "Temporal dev server SIGKILL + restart, 5 runs",
    faults: 1,
    runsStarted: RUNS,
    runsFinished: finished,
    duplicateSteps: steps.duplicates,
    retriedSteps: steps.retried,
  });
  expect(finals).toEqual(runs.map(() => "success"));
  expect(joined).toEqual(expected);
  expect(steps.duplicates).toBe(0);
});
