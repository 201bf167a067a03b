// Streams one step of a run into the run's event log (spec §5.9): events are produced here, in
// the worker, and go to the database, never through Temporal payloads. API processes read them
// from there (src/streaming/run-streams.ts).
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { isGraphDrained, RunControl } from "@langchain/langgraph";
import type { StoredRun } from "../api-types.ts";
import type { CompiledGraph } from "../graphs/registry.ts";
import { hitsBreakpoint } from "../runs/breakpoints.ts";
import type { RunEventStore } from "../storage/run-events-repository.ts";
import { apiModeOf, eventName, graphStreamModes } from "./stream-modes.ts";
import { eventData } from "./event-data.ts";
import { LegacyMessages } from "./legacy-messages.ts";
import { StartedTasks } from "./failed-task.ts";
import { type StepChunk, StepChunkFilter } from "./step-chunks.ts";

export interface StepEventsInput {
  log: RunEventStore;
  run: StoredRun;
  /**
   * The graph call goes on from a `loop` checkpoint (every step but a run's first, and a first
   * step's retry that found the graph started), so LangGraph first replays the values there.
   */
  continuesRun: boolean;
  /** The step's attempt. */
  attempt: number;
  /** The seq of the run's last event when the step's activity began (-1: none yet). */
  logEnd: number;
  /** The step only applies the run's input and stops before any node (interrupt_before). */
  appliesInputOnly?: boolean;
}

/** Options of the step's graph call, as step.ts builds them. */
type GraphOptions = Record<string, unknown> & { configurable?: Record<string, unknown> };

export class StepEvents {
  private readonly filter: StepChunkFilter;
  private readonly apiModes: Set<string>;
  private readonly legacyMessages: LegacyMessages | undefined;
  private readonly startedTasks = new StartedTasks();

  private constructor(
    private readonly log: RunEventStore,
    private readonly run: StoredRun,
    continuesRun: boolean,
    appliesInputOnly: boolean,
  ) {
    this.filter = new StepChunkFilter(continuesRun, run.run_id, appliesInputOnly);
    this.apiModes = new Set(run.kwargs.stream_mode);
    this.legacyMessages = this.apiModes.has("messages") ? new LegacyMessages() : undefined;
  }

  static async open({ log, run, continuesRun, attempt, logEnd, appliesInputOnly = false }: StepEventsInput): Promise<StepEvents> {
    const events = new StepEvents(log, run, continuesRun, appliesInputOnly);
    // A retried attempt is marked, not dropped: its events are appended after a new `metadata`
    // event carrying the attempt (spec §5.9.1). Readers already received the failed attempt's
    // events live, so deleting them from the log would make a replay differ from what was sent,
    // and holding a step's events back until it commits would stop tokens from streaming.
    if (attempt > 1 || logEnd < 0) {
      await events.appendEvent("metadata", JSON.stringify({ run_id: run.run_id, thread_id: run.thread_id, attempt }));
    }
    return events;
  }

  /** Nodes that ran in the step. */
  get nodes(): string[] {
    return [...this.filter.nodes];
  }

  /** Runs the step's graph call, appending its events as they come. */
  async stream(graph: CompiledGraph, input: unknown, options: GraphOptions): Promise<void> {
    // `updates` always: it names the nodes that ran and carries the interrupts.
    const legacy = this.legacyMessages ? (["messages", "values"] as const) : [];
    const streamMode = [...new Set([...graphStreamModes([...this.apiModes]), "updates" as const, ...legacy])];
    // Chat models stream whatever the modes, as on the official server, so a model's message
    // is named `run-<id>` whether or not a client asked for messages (issue 12).
    options = { ...options, callbacks: [...((options.callbacks as unknown[] | undefined) ?? []), new PreferStreaming()] };
    const subgraphs = this.run.kwargs.subgraphs;
    if (!this.apiModes.has("events")) {
      for await (const raw of await graph.stream(input, { ...options, streamMode, subgraphs })) await this.accept(chunkOf(raw, subgraphs));
      return;
    }
    // The run's id as the root run id, so every step's records name the same root run.
    const records = graph.streamEvents(input, { ...options, version: "v2" as const, streamMode, subgraphs, runId: this.run.run_id });
    for await (const record of records) {
      if (record.event === "on_chain_stream" && record.run_id === this.run.run_id) {
        await this.accept(chunkOf((record.data as { chunk: unknown }).chunk, subgraphs));
      } else if (!record.tags?.includes("langsmith:hidden")) {
        await this.accept({ namespace: [], mode: "events", payload: record });
      }
    }
  }

  /** Appends the step's last events, once the step knows whether the run stops here. */
  async finish({ stop, next }: { stop: boolean; next: string[] }, graph: CompiledGraph, options: GraphOptions): Promise<void> {
    const tail = this.filter.end({ stop, next, interruptAfterHit: hitsBreakpoint(this.run.kwargs.interrupt_after, this.nodes) });
    if (tail.announceCheckpoint && (this.apiModes.has("checkpoints") || this.apiModes.has("debug"))) {
      for (const chunk of await announcedCheckpoint(graph, options)) await this.append(chunk);
    }
    for (const chunk of tail.chunks) await this.append(chunk);
  }

  /** Appends what the step had announced, and the failed task's result, once its graph call raised. */
  async fail(error: unknown): Promise<void> {
    for (const chunk of [...this.filter.failed(), ...this.startedTasks.failedTaskChunks(error)]) await this.append(chunk);
  }

  private async accept(chunk: StepChunk): Promise<void> {
    this.startedTasks.see(chunk);
    const kept = this.filter.accept(chunk);
    for (const out of kept) await this.append(out);
    for (const { event, payload } of this.legacyEvents(chunk, kept.includes(chunk))) await this.appendEvent(event, eventData(event, payload));
  }

  private legacyEvents(chunk: StepChunk, shown: boolean) {
    if (!this.legacyMessages) return [];
    if (chunk.mode === "messages") return this.legacyMessages.token(chunk.payload as Parameters<LegacyMessages["token"]>[0]);
    if (chunk.mode === "values" && chunk.namespace.length === 0) return this.legacyMessages.state(chunk.payload, shown);
    return [];
  }

  private async append({ namespace, mode, payload }: StepChunk): Promise<void> {
    const apiMode = apiModeOf(mode);
    if (!this.apiModes.has(apiMode)) return;
    await this.appendEvent(eventName(apiMode, namespace), eventData(mode, payload));
  }

  private async appendEvent(event: string, data: string): Promise<void> {
    await this.log.append(this.run.run_id, this.run.thread_id, event, data);
  }
}

/** A callback that only asks chat models to stream (LangChain's `lc_prefer_streaming`). */
export class PreferStreaming extends BaseCallbackHandler {
  name = "prefer_streaming";
  lc_prefer_streaming = true;
}

/** `[mode, payload]`, or `[namespace, mode, payload]` with subgraphs. */
function chunkOf(raw: unknown, subgraphs: boolean): StepChunk {
  if (subgraphs) {
    const [namespace, mode, payload] = raw as [string[], string, unknown];
    return { namespace, mode, payload };
  }
  const [mode, payload] = raw as [string, unknown];
  return { namespace: [], mode, payload };
}

/**
 * The checkpoint announcement that an uninterrupted loop makes when it ticks after the run's
 * last super-step. A second call continuing from the committed checkpoint makes it too; a
 * drained RunControl stops that call right after the announcement, before any node runs.
 * Only `checkpoints` is asked for (the debug record wraps the same payload): a drained call
 * ends with an error that discards chunks still queued behind the first one.
 * Our RunControl also stops a graph built with the user's copy of LangGraph (issue 17): the loop
 * reads only its `drainRequested`, and isGraphDrained compares the error's name.
 */
async function announcedCheckpoint(graph: CompiledGraph, options: GraphOptions): Promise<StepChunk[]> {
  const { checkpoint_id: _pinned, ...configurable } = options.configurable ?? {};
  const { interruptAfter: _after, interruptBefore: _before, ...base } = options;
  const control = new RunControl();
  control.requestDrain("announce the checkpoint");
  const chunks: StepChunk[] = [];
  try {
    // durability "async": the call only reads, and must not write an exit checkpoint.
    const stream = await graph.stream(null, { ...base, configurable, streamMode: ["checkpoints"], control, durability: "async" });
    for await (const [, payload] of stream as AsyncIterable<[string, unknown]>) {
      const step = (payload as { metadata?: { step?: number } }).metadata?.step;
      chunks.push({ namespace: [], mode: "checkpoints", payload });
      chunks.push({ namespace: [], mode: "debug", payload: { step, type: "checkpoint", timestamp: new Date().toISOString(), payload } });
    }
  } catch (err) {
    if (!isGraphDrained(err)) throw err;
  }
  return chunks;
}
