// Issue 16's acceptance: on a multi-service Temporal cluster on PostgreSQL, two API and three
// worker processes run 200 runs on 100 threads (reject, enqueue and interrupt), while a
// worker, an API, Temporal's history service and PostgreSQL are killed or restarted.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Client } from "@langchain/langgraph-sdk";
import { recordFaults } from "../faults/ledger.ts";
import { countSteps, duplicatedNodes, faultFreeSteps, readNodeLog, waitUntil, type Kill } from "../faults/harness.ts";
import type { CliProcess } from "../helpers/processes.ts";
import { startClusterStack, type ApiProcess, type ClusterStack } from "./cluster-stack.ts";
import { restartPostgres } from "./postgres-restart.ts";

const THREADS = 100;
const STRATEGIES = ["reject", "enqueue", "interrupt"] as const;
type Strategy = (typeof STRATEGIES)[number];

interface Thread {
  threadId: string;
  strategy: Strategy;
  /** Each thread's first run, then its second (undefined when refused, as `reject` must). */
  runs: [string, string | undefined];
  seeds: [number, number];
  secondStatus: number | undefined;
}

let stack: ClusterStack;
let apis: ApiProcess[];
let workers: CliProcess[];
let workerMetrics: string[];

beforeAll(async () => {
  stack = await startClusterStack({ STEP_NODE_MS: "300" });
  const fleet = [await stack.startWorker(), await stack.startWorker(), await stack.startWorker()];
  workers = fleet.map((w) => w.process);
  workerMetrics = fleet.map((w) => w.metricsUrl);
  apis = [await stack.startApi(), await stack.startApi()];
});
afterAll(async () => stack?.stop());

/** `steps_log_key` makes the steps graph log each run apart (two runs share a thread here). */
const runKey = (threadId: string, index: number) => `${threadId}/${index}`;

async function createPair(index: number): Promise<Thread> {
  const strategy = STRATEGIES[index % STRATEGIES.length]!;
  const [first, second] = [apis[index % 2]!.sdk, apis[(index + 1) % 2]!.sdk];
  const thread = await first.threads.create();
  const seeds: [number, number] = [index * 2 + 1, index * 2 + 2];
  const create = (sdk: Client, n: 0 | 1) =>
    sdk.runs.create(thread.thread_id, "steps", {
      input: { seed: seeds[n] },
      multitaskStrategy: strategy,
      config: { configurable: { step_log_key: runKey(thread.thread_id, n) } },
    });
  const run1 = await create(first, 0);
  let run2: string | undefined;
  let secondStatus: number | undefined;
  try {
    run2 = (await create(second, 1)).run_id;
  } catch (err) {
    secondStatus = (err as { status?: number }).status;
  }
  return { threadId: thread.thread_id, strategy, runs: [run1.run_id, run2], seeds, secondStatus };
}

/** What each run of a thread must end as, given its strategy. */
const EXPECTED: Record<Strategy, [string, string | undefined]> = {
  reject: ["success", undefined],
  enqueue: ["success", "success"],
  interrupt: ["interrupted", "success"],
};

it("200 runs on 100 threads through two APIs and three workers survive a worker, an API, history and PostgreSQL going down", async () => {
  const started = Date.now();
  // 1. 100 threads, two runs each, the first through one API and the second through the other
  const threads: Thread[] = [];
  for (let i = 0; i < THREADS; i += 10) threads.push(...(await Promise.all(Array.from({ length: 10 }, (_, j) => createPair(i + j)))));
  const keys = threads.flatMap((t) => [runKey(t.threadId, 0), runKey(t.threadId, 1)]);
  const log = () => readNodeLog(stack.nodeLog, keys);
  const progress = (what: string) => console.log(`[${Math.round((Date.now() - started) / 1000)} s] ${what}; ${log().filter((e) => e.event === "end").length} steps done`);
  progress("200 runs created");

  // 2. faults while the runs go on: a worker SIGKILLed once it has run a step, then one API
  const kills: Kill[] = [];
  const victim = workers[0]!;
  await waitUntil(() => log().some((e) => e.pid === victim.child.pid && e.event === "end"), 120_000, "a step on the first worker");
  kills.push({ pid: victim.child.pid!, at: Date.now() });
  await victim.kill("SIGKILL");
  const [killedApi, survivingApi] = apis as [ApiProcess, ApiProcess];
  await killedApi.process.kill("SIGKILL");
  progress("a worker and an API killed");

  // 3. Temporal's history service SIGKILLed and started again, then PostgreSQL restarted.
  // A step that ended while the database was going down may not have committed: like a worker
  // kill, its re-execution counts as a retry, not a duplicate (every live worker). A step running
  // while the history service was down may be taken up by another worker while it still runs (its
  // workflow task, which a local step holds, cannot be extended and times out): the step lease
  // makes the second attempt wait for the first and find its work, so the node runs once.
  const historyDown = Date.now();
  await stack.temporal.restart("history");
  const outageStart = Date.now();
  await restartPostgres(stack.databaseUrl);
  const outageEnd = Date.now();
  const liveWorkers = workers.slice(1).map((w) => w.child.pid!);
  for (let at = outageStart; at <= Date.now() + 1000; at += 500) for (const pid of liveWorkers) kills.push({ pid, at });
  progress("history and PostgreSQL restarted");

  // 4. every run reaches its end, read through the surviving API
  const status = async (sdk: Client, threadId: string, runId: string) => (await sdk.runs.get(threadId, runId)).status;
  const ended = (s: string) => !["pending", "running"].includes(s);
  let lastReport = Date.now();
  await waitUntil(
    async () => {
      if (Date.now() - lastReport > 30_000) [lastReport] = [Date.now(), progress("waiting for the runs to end")];
      for (const t of threads) for (const runId of t.runs) if (runId && !ended(await status(survivingApi.sdk, t.threadId, runId))) return false;
      return true;
    },
    480_000,
    "every run ended",
  );

  // 5. a scrape of the surviving API and a surviving worker shows the runs and steps made
  const apiMetrics = await (await fetch(`${survivingApi.url}/metrics`)).text();
  const workerText = await (await fetch(workerMetrics[1]!)).text();
  console.log(`API /metrics (runs):\n${apiMetrics.split("\n").filter((l) => l.startsWith("langgraph_runs_created")).join("\n")}`);
  console.log(`worker /metrics (steps, runs):\n${workerText.split("\n").filter((l) => /^(temporal_)?langgraph_(step_executions|step_lease_waits|run_outcomes)/.test(l)).join("\n")}`);
  for (const strategy of STRATEGIES) expect(apiMetrics).toMatch(new RegExp(`^langgraph_runs_created_total\\{strategy="${strategy}"\\} [1-9]`, "m"));
  expect(workerText).toMatch(/^(temporal_)?langgraph_step_executions\S*\{[^}]*graph_id="steps"[^}]*\} [1-9]/m);
  expect(workerText).toMatch(/^(temporal_)?langgraph_run_outcomes\S*\{[^}]*status="success"[^}]*\} [1-9]/m);
  expect(workerText).toMatch(/^temporal_/m);

  // 6. the killed API comes back on its port; both APIs answer for every run
  progress("every run ended");
  const restartedApi = await stack.startApi(killedApi.port);
  const observed: Record<string, [string, string | undefined][]> = {};
  let reachedExpectedEnd = 0;
  for (const t of threads) {
    for (const sdk of [survivingApi.sdk, restartedApi.sdk]) {
      const ends: [string, string | undefined] = [
        await status(sdk, t.threadId, t.runs[0]),
        t.runs[1] ? await status(sdk, t.threadId, t.runs[1]) : undefined,
      ];
      (observed[t.strategy] ??= []).push(ends);
      if (sdk !== survivingApi.sdk) continue;
      // A refused second run reached its expected end when the API answered 409.
      reachedExpectedEnd += ends.filter((e, n) => t.runs[n] !== undefined && e === EXPECTED[t.strategy][n]).length + (t.secondStatus === 409 ? 1 : 0);
      for (const [n, e] of ends.entries()) {
        if (e === "error") console.log(`run ${t.runs[n]} (${t.strategy}, run ${n + 1}) ended in error:`, JSON.stringify(await sdk.runs.join(t.threadId, t.runs[n]!)));
      }
    }
  }
  // A thread not idle is shown with its runs, as a user would look into it.
  const busy = [];
  for (const t of threads) {
    const { status } = await restartedApi.sdk.threads.get(t.threadId);
    if (status !== "idle") busy.push({ thread: t.threadId, status, runs: (await restartedApi.sdk.runs.list(t.threadId)).map((r) => [r.run_id, r.status, r.updated_at]) });
  }
  const steps = countSteps(log(), kills);
  const pids = new Set(log().map((e) => e.pid));
  recordFaults({
    scenario: `cluster: 2 APIs, 3 workers, ${THREADS * 2} runs on ${THREADS} threads`,
    faults: 4,
    runsStarted: THREADS * 2,
    runsFinished: reachedExpectedEnd,
    duplicateSteps: steps.duplicates,
    retriedSteps: steps.retried,
  });
  console.log(`cluster acceptance: ${Math.round((Date.now() - started) / 1000)} s; steps by pid:`, [...pids].map((p) => [p, log().filter((e) => e.pid === p && e.event === "end").length]));

  for (const strategy of STRATEGIES) expect(new Set(observed[strategy]!.map((e) => JSON.stringify(e)))).toEqual(new Set([JSON.stringify(EXPECTED[strategy])]));
  expect(threads.filter((t) => t.strategy === "reject").map((t) => t.secondStatus)).toEqual(threads.filter((t) => t.strategy === "reject").map(() => 409));
  expect(reachedExpectedEnd).toBe(THREADS * 2);
  expect(busy).toEqual([]);
  for (const worker of workers) expect(pids).toContain(worker.child.pid);
  // Only the worker the test killed has stopped.
  for (const worker of workers.slice(1)) expect(worker.child.exitCode, worker.output().slice(-3000)).toBeNull();
  expect(steps.duplicates, `executions of a duplicated node (history down at ${historyDown}, PostgreSQL ${outageStart}–${outageEnd}): ${JSON.stringify(duplicatedNodes(log(), kills))}`).toBe(0);
  // Threads that ran both runs to the end hold both runs' trails, each as without faults.
  for (const t of threads.filter((x) => x.strategy === "enqueue").slice(0, 10)) {
    const [a, b] = await Promise.all(t.seeds.map((seed) => faultFreeSteps(seed)));
    const values = (await survivingApi.sdk.threads.getState(t.threadId)).values as { trail: string[] };
    expect(values.trail).toEqual([...(a!.trail as string[]), ...(b!.trail as string[])]);
  }
});
