// Shared parts of the fault tests: worker processes, the node-execution log that the `steps`
// fixture graph writes, and the counting of duplicate and retried step executions.
import fs from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import path from "node:path";
import type { Client } from "@langchain/langgraph-sdk";
import { inject } from "vitest";
import { startDevServer, type DevServer } from "../../src/temporal/dev-server.ts";
import type { Env } from "../../src/settings.ts";
import { graph as stepsGraph } from "../fixtures/graphs/steps.ts";
import { startCli, type CliProcess } from "../helpers/processes.ts";
import { FIXTURES } from "../helpers/stack.ts";

export const CONFIG_PATH = `${FIXTURES}langgraph.json`;

/** A kill landing this soon after a node ended may precede its checkpoint's commit. */
const COMMIT_GRACE_MS = 1000;

export interface NodeExecution {
  thread: string;
  at: number;
  pid: number;
  event: "start" | "end";
  node: string;
}

export interface Kill {
  pid: number;
  at: number;
}

/**
 * The processes a test file starts (workers, API servers). `killAll`, in its afterAll,
 * SIGKILLs every one, so a failing test leaves none running.
 */
export class ChildProcesses {
  private readonly started: CliProcess[] = [];

  add(child: CliProcess): CliProcess {
    this.started.push(child);
    return child;
  }

  /** A `worker` process for the stack, once it polls its task queue. */
  async startWorker(stack: { env: Env; dataDir: string }): Promise<CliProcess> {
    const worker = this.add(startCli(["worker", "--config", CONFIG_PATH, "--data-dir", stack.dataDir], stack.env));
    await worker.waitFor(/worker polling/, 90_000);
    return worker;
  }

  /** The processes started so far that have not exited. */
  running(): CliProcess[] {
    return this.started.filter((child) => child.child.exitCode === null && child.child.signalCode === null);
  }

  async killAll(): Promise<void> {
    for (const child of this.started) await child.kill("SIGKILL");
  }
}

/** A Temporal dev server keeping its history in `dir`, so that a restart on the same file resumes it. */
export function startTemporalOnFile(dir: string, address: string): Promise<DevServer> {
  return startDevServer({ binary: inject("temporalCli"), address, namespace: "default", uiPort: undefined, dbFile: path.join(dir, "temporal.sqlite") });
}

export interface SeededRun {
  seed: number;
  threadId: string;
  runId: string;
}

export type SeededRunOptions = Omit<NonNullable<Parameters<Client["runs"]["create"]>[2]>, "input">;

/** Background runs of the `steps` graph (or `graphId`, the same graph) with seeds 1…count, each on a new thread. */
export async function startSeededRuns(sdk: Client, count: number, options: SeededRunOptions = {}, graphId = "steps"): Promise<SeededRun[]> {
  const runs: SeededRun[] = [];
  for (let seed = 1; seed <= count; seed++) {
    const thread = await sdk.threads.create();
    const run = await sdk.runs.create(thread.thread_id, graphId, { ...options, input: { seed } });
    runs.push({ seed, threadId: thread.thread_id, runId: run.run_id });
  }
  return runs;
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 60_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

/** The lines of the `steps` graph's log, for the given threads only. */
export function readNodeLog(file: string, threads: Iterable<string>): NodeExecution[] {
  if (!fs.existsSync(file)) return [];
  const wanted = new Set(threads);
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.split(" "))
    .filter((parts) => parts.length === 5 && wanted.has(parts[0]!))
    .map(([thread, at, pid, event, node]) => ({ thread: thread!, at: Number(at), pid: Number(pid), event: event as "start" | "end", node: node! }));
}

/** Nodes in flight in process `pid` at time `at`: started there, not yet ended. */
export function inFlight(executions: NodeExecution[], kill: Kill): number {
  const open = new Set<string>();
  for (const e of executions) {
    if (e.pid !== kill.pid || e.at > kill.at) continue;
    const key = `${e.thread} ${e.node}`;
    if (e.event === "start") open.add(key);
    else open.delete(key);
  }
  return open.size;
}

export interface StepCounts {
  /** Executions that began after the node had completed and been committed. */
  duplicates: number;
  /** Executions that began again because a fault cut the previous one short. */
  retried: number;
}

/**
 * For each (thread, node): starts before its first end are retries of an interrupted
 * execution. A start after the first end is a duplicate, unless a kill of the process that
 * ran it landed within COMMIT_GRACE_MS of that end (the checkpoint may not have been written).
 */
export function countSteps(executions: NodeExecution[], kills: Kill[]): StepCounts {
  let duplicates = 0;
  let retried = 0;
  for (const node of classify(executions, kills)) {
    duplicates += node.duplicates;
    retried += node.retried;
  }
  return { duplicates, retried };
}

/** The log lines of each (thread, node) that countSteps finds duplicated, for a failure's message. */
export function duplicatedNodes(executions: NodeExecution[], kills: Kill[]): NodeExecution[][] {
  return classify(executions, kills).filter((node) => node.duplicates > 0).map((node) => node.events);
}

function classify(executions: NodeExecution[], kills: Kill[]): Array<StepCounts & { events: NodeExecution[] }> {
  const byNode = new Map<string, NodeExecution[]>();
  for (const e of executions) {
    const key = `${e.thread} ${e.node}`;
    byNode.set(key, [...(byNode.get(key) ?? []), e]);
  }
  return [...byNode.values()].map((events) => {
    events.sort((a, b) => a.at - b.at);
    const firstEnd = events.find((e) => e.event === "end");
    const starts = events.filter((e) => e.event === "start");
    const before = starts.filter((e) => !firstEnd || e.at <= firstEnd.at).length;
    const after = starts.length - before;
    const killedBeforeCommit =
      firstEnd !== undefined && kills.some((k) => k.pid === firstEnd.pid && k.at >= firstEnd.at && k.at <= firstEnd.at + COMMIT_GRACE_MS);
    const retried = Math.max(0, before - 1) + (killedBeforeCommit ? after : 0);
    return { events, retried, duplicates: killedBeforeCommit ? 0 : after };
  });
}

/** The `steps` graph's final state for a seed, run in this process without Temporal or faults. */
export async function faultFreeSteps(seed: number): Promise<Record<string, unknown>> {
  // A graph of its own: the server in this process may have given the module's graph its checkpointer.
  return stepsGraph.builder.compile().invoke({ seed }, { configurable: { step_node_ms: 0 } });
}
