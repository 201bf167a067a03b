// The API process (`langgraph-temporal serve`) is SIGKILLed while runs are in flight and
// started again on the same port. The runs live in Temporal and the worker, not in the API:
// they go on while it is down, and the new API process reports and joins them.
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { freePort } from "../../src/temporal/dev-server.ts";
import { startCli, type CliProcess } from "../helpers/processes.ts";
import { startStack, type Stack } from "../helpers/stack.ts";
import { recordFaults } from "./ledger.ts";
import { ChildProcesses, CONFIG_PATH, countSteps, faultFreeSteps, readNodeLog, startSeededRuns, waitUntil } from "./harness.ts";

const RUNS = 5;

let stack: Stack;
const processes = new ChildProcesses();

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false, env: { STEP_NODE_MS: "3000", STEP_HEARTBEAT_TIMEOUT_SECONDS: "2" } });
});
afterAll(async () => {
  await processes.killAll();
  await stack?.stop();
});

/** The API at `port`; `retries: 0` lets a call to a dead API fail at once instead of retrying. */
async function serve(port: number, retries?: number): Promise<{ api: CliProcess; sdk: Client }> {
  const api = processes.add(startCli(["serve", "--config", CONFIG_PATH, "--data-dir", stack.dataDir, "--port", String(port)], stack.env));
  const [, url] = (await api.waitFor(/API: (http:\/\/\S+)/, 90_000)) as RegExpMatchArray & [string, string];
  return { api, sdk: new Client({ apiUrl: url, callerOptions: retries === undefined ? {} : { maxRetries: retries } }) };
}

it("keeps runs going while the API is down; a new API process reports and joins them", async () => {
  // 1. a worker process and an API process; five runs of the six-step graph
  await processes.startWorker(stack);
  const port = await freePort();
  const { api: firstApi, sdk: before } = await serve(port, 0);
  const runs = await startSeededRuns(before, RUNS);
  const threadIds = runs.map((r) => r.threadId);
  const ends = () => readNodeLog(stack.env.NODE_EXECUTION_LOG!, threadIds).filter((e) => e.event === "end").length;

  // 2. SIGKILL the API once every run has completed a step; joins waiting on it break
  const brokenJoins = runs.map((r) => before.runs.join(r.threadId, r.runId).then(() => "joined", () => "broken"));
  await waitUntil(() => ends() >= RUNS, 60_000, "a step of every run");
  await firstApi.kill("SIGKILL");

  // 3. with no API at all, the runs still make progress
  const endsAtKill = ends();
  await waitUntil(() => ends() >= endsAtKill + RUNS, 60_000, "progress while the API is down");

  // 4. a new API process on the same port reports the runs as still running, then joins them
  const { sdk: after } = await serve(port);
  const statuses = await Promise.all(runs.map(async (r) => (await after.runs.get(r.threadId, r.runId)).status));
  expect(statuses.every((s) => s === "running" || s === "success")).toBe(true);
  expect(statuses).toContain("running");
  const joined = await Promise.all(runs.map((r) => after.runs.join(r.threadId, r.runId)));

  // 5. every run ended as it would have without the fault, and no step ran twice
  const finals = await Promise.all(runs.map(async (r) => (await after.runs.get(r.threadId, r.runId)).status));
  const expected = await Promise.all(runs.map((r) => faultFreeSteps(r.seed)));
  const steps = countSteps(readNodeLog(stack.env.NODE_EXECUTION_LOG!, threadIds), []);
  const finished = finals.filter((s) => s === "success").length;
  recordFaults({
    scenario: "API process SIGKILL + restart, 5 runs",
    faults: 1,
    runsStarted: RUNS,
    runsFinished: finished,
    duplicateSteps: steps.duplicates,
    retriedSteps: steps.retried,
  });
  expect(await Promise.all(brokenJoins)).toEqual(runs.map(() => "broken"));
  expect(finals).toEqual(runs.map(() => "success"));
  expect(joined).toEqual(expected);
  for (const r of runs) expect((await after.threads.getState(r.threadId)).values).toEqual(expected[r.seed - 1]);
  expect(steps).toEqual({ duplicates: 0, retried: 0 });
});
