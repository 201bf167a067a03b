// A cron lives in Temporal (its Schedule) and in the database, not in any of our processes
// (issue 14): the Temporal server and the API are SIGKILLed and restarted between fires, and
// the cron goes on; a worker is SIGKILLed during a cron's run, and nothing is lost.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, type Run } from "@langchain/langgraph-sdk";
import { freePort, type DevServer } from "../../src/temporal/dev-server.ts";
import { startCli, type CliProcess } from "../helpers/processes.ts";
import { startStack, type Stack } from "../helpers/stack.ts";
import { recordFaults } from "./ledger.ts";
import { ChildProcesses, CONFIG_PATH, countSteps, faultFreeSteps, readNodeLog, startTemporalOnFile, waitUntil, type Kill } from "./harness.ts";

const EVERY_3S = "*/3 * * * * * *";
/** Long enough for the worker to notice the server is gone. */
const DOWNTIME_MS = 4000;

let temporalDir: string;
let temporal: DevServer | undefined;
let stack: Stack;
const processes = new ChildProcesses();

beforeAll(async () => {
  temporalDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-temporal-"));
  temporal = await startTemporalOnFile(temporalDir, `127.0.0.1:${await freePort()}`);
  stack = await startStack({
    inProcessWorker: false,
    env: { TEMPORAL_ADDRESS: temporal.address, STEP_NODE_MS: "300", STEP_HEARTBEAT_TIMEOUT_SECONDS: "2", STEP_MAX_ATTEMPTS: "10" },
  });
});
afterAll(async () => {
  await processes.killAll();
  await stack?.stop();
  await temporal?.stop();
  fs.rmSync(temporalDir, { recursive: true, force: true });
});

async function serve(port: number): Promise<{ api: CliProcess; sdk: Client }> {
  const api = processes.add(startCli(["serve", "--config", CONFIG_PATH, "--data-dir", stack.dataDir, "--port", String(port)], stack.env));
  const [, url] = (await api.waitFor(/API: (http:\/\/\S+)/, 90_000)) as RegExpMatchArray & [string, string];
  return { api, sdk: new Client({ apiUrl: url }) };
}

const allRuns = (sdk: Client, threadId: string): Promise<Run[]> => sdk.runs.list(threadId, { limit: 1000 });
const succeeded = async (sdk: Client, threadId: string) => (await allRuns(sdk, threadId)).filter((r) => r.status === "success");

it("goes on firing after the Temporal server and the API are SIGKILLed and restarted", async () => {
  await processes.startWorker(stack);
  const port = await freePort();
  const { api: firstApi, sdk: before } = await serve(port);
  const thread = await before.threads.create();
  const cron = await before.crons.createForThread(thread.thread_id, "steps", { schedule: EVERY_3S, input: { seed: 3 } });
  await waitUntil(async () => (await succeeded(before, thread.thread_id)).length >= 2, 60_000, "two fires before the faults");

  await firstApi.kill("SIGKILL");
  const address = temporal!.address;
  temporal!.process.kill("SIGKILL");
  await new Promise((resolve) => temporal!.process.once("exit", resolve));
  await new Promise((resolve) => setTimeout(resolve, DOWNTIME_MS));
  temporal = await startTemporalOnFile(temporalDir, address);
  const restartedAt = new Date().toISOString();
  const { sdk: after } = await serve(port);

  // Fires after the restart, with no call to the API: the Schedule survived in Temporal's file.
  await waitUntil(async () => (await succeeded(after, thread.thread_id)).filter((r) => r.created_at > restartedAt).length >= 2, 90_000, "two fires after the restarts");
  await after.crons.delete(cron.cron_id);
  await waitUntil(async () => (await allRuns(after, thread.thread_id)).every((r) => r.status !== "pending" && r.status !== "running"), 60_000, "the last fire's run");

  const runs = await allRuns(after, thread.thread_id);
  const finished = runs.filter((r) => r.status === "success").length;
  recordFaults({ scenario: "cron: Temporal + API SIGKILL + restart between fires", faults: 2, runsStarted: runs.length, runsFinished: finished, duplicateSteps: 0, retriedSteps: 0 });
  expect(runs.map((r) => r.status)).toEqual(runs.map(() => "success"));
  // One run at a time on the thread (reject → the Schedule skips fires while one runs).
  const oldestFirst = [...runs].reverse();
  for (let i = 1; i < oldestFirst.length; i++) expect(oldestFirst[i]!.created_at >= oldestFirst[i - 1]!.updated_at).toBe(true);
});

it("loses nothing when a worker is SIGKILLed during a cron's run", async () => {
  const first = await processes.startWorker(stack);
  const { sdk } = await serve(await freePort());
  const thread = await sdk.threads.create();
  const cron = await sdk.crons.createForThread(thread.thread_id, "steps", { schedule: EVERY_3S, input: { seed: 5 } });
  const log = () => readNodeLog(stack.env.NODE_EXECUTION_LOG!, [thread.thread_id]);

  // SIGKILL every worker in the middle of the first fire's run, then start a clean one.
  await waitUntil(() => log().some((e) => e.event === "end" && e.node === "s2"), 60_000, "the cron's run half done");
  const kills: Kill[] = [];
  for (const worker of [first, ...otherWorkers(first)]) {
    await worker.kill("SIGKILL");
    kills.push({ pid: worker.child.pid!, at: Date.now() });
  }
  await processes.startWorker(stack);

  await waitUntil(async () => (await succeeded(sdk, thread.thread_id)).length >= 2, 120_000, "the killed run and the next fire");
  await sdk.crons.delete(cron.cron_id);
  await waitUntil(async () => (await allRuns(sdk, thread.thread_id)).every((r) => r.status !== "pending" && r.status !== "running"), 60_000, "the last fire's run");

  const runs = [...(await allRuns(sdk, thread.thread_id))].reverse();
  // Steps of the run the kill hit (every fire runs the same nodes on the thread).
  const steps = countSteps(log().filter((e) => e.at <= Date.parse(runs[0]!.updated_at)), kills);
  recordFaults({
    scenario: "cron: worker SIGKILL during a fire's run",
    faults: kills.length,
    runsStarted: runs.length,
    runsFinished: runs.filter((r) => r.status === "success").length,
    duplicateSteps: steps.duplicates,
    retriedSteps: steps.retried,
  });
  expect(runs.map((r) => r.status)).toEqual(runs.map(() => "success"));
  expect(await sdk.runs.join(thread.thread_id, runs[0]!.run_id)).toEqual(await faultFreeSteps(5));
  expect(steps.duplicates).toBe(0);
}, 240_000);

/** Workers of the first test still running: the kill must leave none to finish the run. */
function otherWorkers(except: CliProcess): CliProcess[] {
  return processes.running().filter((p) => p !== except && p.output().includes("worker polling"));
}
