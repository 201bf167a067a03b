// Where the time of one run of the 1-node graph goes in our server. Sequential runs are timed
// by the client; each run's Temporal history has a timestamp per event (same machine, same
// clock), so the run's wall time splits into: the create request up to the workflow's start,
// every gap between consecutive history events (workflow-task and activity-task dispatch and
// execution), and the join's tail after the workflow closed. Two probes price the bare parts:
// an HTTP round trip to the API and a bare workflow start RPC to the Temporal server. The same
// split of the Temporal floor's runs (bench/floor/) on the same server shows what is ours.
import { randomUUID } from "node:crypto";
import { Client as SdkClient } from "@langchain/langgraph-sdk";
import { Connection, Client as TemporalClient } from "@temporalio/client";
import proto, { type temporal } from "@temporalio/proto"; // CommonJS: only the default import works from ESM
import { DefaultLogger, Runtime } from "@temporalio/worker";
import { floorWorkflowId, startFloorWorker } from "./floor/worker.ts";
import { median, summarize, type Summary } from "./stats.ts";
import type { Workload } from "./load.ts";

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const EventType = proto.temporal.api.enums.v1.EventType;

export interface Phase {
  phase: string;
  /** Median over runs of the phase's total time in a run. */
  medianMs: number;
  meanMs: number;
  /** Mean time of the phase over the mean end-to-end time. */
  share: number;
}

export interface PhaseSplit {
  runs: number;
  e2e: Summary;
  phases: Phase[];
  workflowTasksPerRun: number;
  activitiesPerRun: number;
}

export interface ProfileResult extends PhaseSplit {
  /** Workflow started → create response received (overlaps the workflow's first task). */
  createResponseLeg: Summary;
  probes: { httpRoundTrip: Summary; temporalStart: Summary };
  /** The same split of the Temporal floor's runs of the same workload. */
  temporalFloor: PhaseSplit;
}

interface TimedRun {
  sent: number;
  joined: number;
  events: HistoryEvent[];
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable with Temporal's event times. */
const wallNow = () => performance.timeOrigin + performance.now();

function eventMs(event: HistoryEvent): number {
  const time = event.eventTime!;
  return Number(time.seconds) * 1000 + (time.nanos ?? 0) / 1e6;
}

const short = (event: HistoryEvent) => EventType[event.eventType!]!.replace("EVENT_TYPE_", "");

/** Names the gap between two consecutive events of a run's history. */
function gapName(previous: HistoryEvent, next: HistoryEvent, activity: string): string {
  const pair = `${short(previous)} → ${short(next)}`;
  switch (pair) {
    case "WORKFLOW_TASK_SCHEDULED → WORKFLOW_TASK_STARTED":
      return "workflow task: scheduled → picked up";
    case "WORKFLOW_TASK_STARTED → WORKFLOW_TASK_COMPLETED":
      return "workflow task: worker run + respond";
    case "ACTIVITY_TASK_SCHEDULED → ACTIVITY_TASK_STARTED":
      return "activity task: scheduled → picked up";
    case "ACTIVITY_TASK_STARTED → ACTIVITY_TASK_COMPLETED":
      // Named by kind, so ours (runStep) and the Temporal floor's (step) line up.
      return `activity task (${activity === "runStep" || activity === "step" ? "the step" : activity}): run + respond`;
    case "WORKFLOW_EXECUTION_STARTED → WORKFLOW_TASK_SCHEDULED":
    case "ACTIVITY_TASK_COMPLETED → WORKFLOW_TASK_SCHEDULED":
      return "server: schedule the next workflow task";
    default:
      return `server: ${pair.toLowerCase()}`;
  }
}

function breakdown(events: HistoryEvent[]): Map<string, number> {
  const gaps = new Map<string, number>();
  let activity = "?";
  for (let i = 1; i < events.length; i++) {
    const scheduled = events[i - 1]!.activityTaskScheduledEventAttributes;
    if (scheduled) activity = scheduled.activityType?.name ?? "?";
    const name = gapName(events[i - 1]!, events[i]!, activity);
    gaps.set(name, (gaps.get(name) ?? 0) + eventMs(events[i]!) - eventMs(events[i - 1]!));
  }
  return gaps;
}

async function probeHttp(url: string, count: number): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await (await fetch(`${url}/info`)).arrayBuffer();
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

/** A workflow start on a queue nobody polls: the Temporal server's own cost of a start. */
async function probeTemporalStart(client: TemporalClient, count: number): Promise<Summary> {
  const samples: number[] = [];
  const taskQueue = `bench-probe-${randomUUID()}`;
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const handle = await client.workflow.start("benchProbe", { taskQueue, workflowId: `bench-probe-${randomUUID()}` });
    samples.push(performance.now() - started);
    await handle.terminate("bench probe");
  }
  return summarize(samples);
}

/** Phases of each run (they follow one another and add up to the run's end-to-end time). */
function splitRuns(runs: TimedRun[], sentPhase: string, joinPhase: string): PhaseSplit {
  const perRun = runs.map(({ sent, joined, events: all }) => {
    // Our join may return before the execution closes (the last step records the run's end),
    // even before the step's completion reaches the history: only what happened before it
    // counts, and the last phase names the event it came after.
    const events = all.filter((event) => eventMs(event) <= joined);
    const gaps = breakdown(events);
    gaps.set(sentPhase, eventMs(events[0]!) - sent);
    const last = events.at(-1)!;
    const tail =
      last === all.at(-1)
        ? joinPhase
        : short(last).startsWith("ACTIVITY_TASK_")
          ? `the last step, then join: ${short(last).toLowerCase()} → join returned, before the step's completion is in the history`
          : `${joinPhase.split(":")[0]}: ${short(last).toLowerCase()} → returned, before the execution closed`;
    gaps.set(tail, joined - eventMs(last));
    return gaps;
  });
  const e2eMs = runs.map((r) => r.joined - r.sent);
  const names = [...new Set(perRun.flatMap((gaps) => [...gaps.keys()]))];
  const meanE2e = e2eMs.reduce((a, b) => a + b, 0) / e2eMs.length;
  const phases = names
    .map((phase) => {
      const values = perRun.map((gaps) => gaps.get(phase) ?? 0);
      const meanMs = values.reduce((a, b) => a + b, 0) / values.length;
      return { phase, medianMs: median(values), meanMs, share: meanMs / meanE2e };
    })
    .filter((phase) => phase.meanMs >= 0.05)
    .sort((a, b) => b.meanMs - a.meanMs);
  const count = (has: (e: HistoryEvent) => unknown) => runs.reduce((n, r) => n + r.events.filter(has).length, 0) / runs.length;
  return {
    runs: runs.length,
    e2e: summarize(e2eMs),
    phases,
    workflowTasksPerRun: count((e) => e.workflowTaskStartedEventAttributes),
    activitiesPerRun: count((e) => e.activityTaskScheduledEventAttributes),
  };
}

async function profileTemporalFloor(address: string, runs: number, graphId: string): Promise<PhaseSplit> {
  // The SDK's default logger would print the worker's state changes into the bench's output.
  Runtime.install({ logger: new DefaultLogger("WARN") });
  const floor = await startFloorWorker(address);
  try {
    const timed: TimedRun[] = [];
    for (let i = 0; i < runs + 3; i++) {
      const threadId = randomUUID();
      const sent = wallNow();
      await floor.start(threadId, graphId);
      const handle = floor.client.workflow.getHandle(floorWorkflowId(threadId));
      await handle.result();
      const joined = wallNow();
      // The first runs warm the floor's fresh worker up.
      if (i >= 3) timed.push({ sent, joined, events: (await handle.fetchHistory()).events ?? [] });
    }
    return splitRuns(timed, "start: request → workflow started", "result: workflow closed → result returned");
  } finally {
    await floor.stop();
  }
}

export async function profileOurServer(options: { url: string; temporalAddress: string; runs: number; workload: Workload }): Promise<ProfileResult> {
  const sdk = new SdkClient({ apiUrl: options.url, callerOptions: { maxRetries: 0 } });
  const connection = await Connection.connect({ address: options.temporalAddress });
  try {
    const temporalClient = new TemporalClient({ connection });
    const timed: TimedRun[] = [];
    const responseLegMs: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      const thread = await sdk.threads.create();
      const sent = wallNow();
      const run = await sdk.runs.create(thread.thread_id, options.workload.graphId, { input: options.workload.input as Record<string, unknown> });
      const created = wallNow();
      await sdk.runs.join(thread.thread_id, run.run_id);
      const joined = wallNow();
      const handle = temporalClient.workflow.getHandle(`thread-${thread.thread_id}`);
      await handle.result();
      const events = (await handle.fetchHistory()).events ?? [];
      // The create's response travels back while the workflow already runs: reported apart.
      responseLegMs.push(created - eventMs(events[0]!));
      timed.push({ sent, joined, events });
    }
    return {
      ...splitRuns(timed, "HTTP create: request → workflow started", "join: workflow closed → join returned"),
      createResponseLeg: summarize(responseLegMs),
      probes: {
        httpRoundTrip: await probeHttp(options.url, 20),
        temporalStart: await probeTemporalStart(temporalClient, 10),
      },
      temporalFloor: await profileTemporalFloor(options.temporalAddress, options.runs, options.workload.graphId),
    };
  } finally {
    await connection.close();
  }
}
