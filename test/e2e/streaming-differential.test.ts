// What a client sees on the SSE stream of a run must be what ONE uninterrupted
// `graph.stream(input, {streamMode})` shows (spec §5.9.2), although the server runs each
// super-step as its own Temporal activity and its own graph.stream() call. Each case streams
// the same runs through the server (official SDK over HTTP) and in-process, on a fresh thread
// with LangGraph's in-memory checkpointer, and compares event names and data.
import { randomUUID } from "node:crypto";
import { Command, MemorySaver } from "@langchain/langgraph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graph as agent } from "../../examples/weather-agent/src/agent.ts";
import { toPlainJson } from "../../src/graphs/serialize.ts";
import { eventData } from "../../src/streaming/event-data.ts";
import { PreferStreaming } from "../../src/streaming/step-events.ts";
import type { CompiledGraph } from "../../src/graphs/registry.ts";
import { asking, chatty } from "../fixtures/graphs/streaming.ts";
import { startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

interface RunSpec {
  input?: Record<string, unknown> | null;
  command?: { resume: unknown };
  interruptBefore?: string[];
  interruptAfter?: string[];
}

interface Case {
  graphId: string;
  graph: CompiledGraph;
  modes: string[];
  subgraphs?: boolean;
  runs: RunSpec[];
  configurable?: Record<string, unknown>;
}

interface SeenEvent {
  event: string;
  data: unknown;
}

const WEATHER = { messages: [{ role: "user", content: "what's the weather in sf" }] };
const HELLO = { messages: [{ role: "user", content: "hello" }] };
const ALL_MODES = ["values", "updates", "messages-tuple", "custom", "tasks", "checkpoints", "debug", "tools"];

const CASES: Record<string, Case> = {
  "the example agent, every mode at once": { graphId: "agent", graph: agent, modes: ALL_MODES, runs: [{ input: WEATHER }] },
  "the example agent, values only": { graphId: "agent", graph: agent, modes: ["values"], runs: [{ input: WEATHER }] },
  "the example agent, messages-tuple only": { graphId: "agent", graph: agent, modes: ["messages-tuple"], runs: [{ input: WEATHER }] },
  "the example agent stopped before tools, then continued": {
    graphId: "agent",
    graph: agent,
    modes: ["values", "updates", "checkpoints", "debug"],
    runs: [{ input: WEATHER, interruptBefore: ["tools"] }, { input: null }],
  },
  "the example agent stopped before its first node, then continued": {
    graphId: "agent",
    graph: agent,
    modes: ["values", "updates", "checkpoints", "debug", "tasks"],
    runs: [{ input: WEATHER, interruptBefore: ["agent"] }, { input: null }],
  },
  "the example agent stopped after its first node, then continued": {
    graphId: "agent",
    graph: agent,
    modes: ["values", "updates", "checkpoints", "tasks"],
    runs: [{ input: WEATHER, interruptAfter: ["agent"] }, { input: null }],
  },
  "a graph with a subgraph, custom events and a streaming model, with subgraphs": {
    graphId: "chatty",
    graph: chatty,
    modes: ALL_MODES,
    subgraphs: true,
    runs: [{ input: HELLO }, { input: HELLO }],
  },
  "a graph that interrupts itself, then resumed": {
    graphId: "asking",
    graph: asking,
    modes: ["values", "updates", "tasks", "checkpoints", "debug"],
    runs: [{ input: { answer: "" } }, { command: { resume: "Paris" } }],
  },
  "stream events": { graphId: "chatty", graph: chatty, modes: ["events"], runs: [{ input: HELLO }] },
};

describe("the server's stream equals one uninterrupted graph.stream", () => {
  for (const [name, spec] of Object.entries(CASES)) {
    it(name, async () => {
      const served = await streamThroughServer(spec);
      const local = await streamInProcess(spec);
      expect(served.map((run) => run.length)).toEqual(local.map((run) => run.length));
      expect(served).toEqual(local);
    });
  }
});

async function streamThroughServer({ graphId, modes, subgraphs = false, runs, configurable }: Case): Promise<SeenEvent[][]> {
  const thread = await stack.sdk.threads.create();
  const out: SeenEvent[][] = [];
  for (const run of runs) {
    const events: SeenEvent[] = [];
    const stream = stack.sdk.runs.stream(thread.thread_id, graphId, {
      input: run.input,
      command: run.command,
      interruptBefore: run.interruptBefore,
      interruptAfter: run.interruptAfter,
      streamMode: modes as never,
      streamSubgraphs: subgraphs,
      config: configurable ? { configurable } : undefined,
    });
    for await (const part of stream) {
      if (part.event !== "metadata") events.push(seen(part.event, part.data));
    }
    out.push(events);
  }
  return out;
}

/** The reference: the same runs in this process, each one graph.stream() (or streamEvents) call. */
async function streamInProcess({ graph, modes, subgraphs = false, runs, configurable }: Case): Promise<SeenEvent[][]> {
  const local = graph.withConfig({});
  local.checkpointer = new MemorySaver();
  const config = { configurable: { thread_id: randomUUID(), ...configurable } };
  const graphModes = modes.map((mode) => (mode === "messages-tuple" ? "messages" : mode)).filter((mode) => mode !== "events");
  const out: SeenEvent[][] = [];
  for (const run of runs) {
    const input = run.command ? new Command(run.command) : run.input;
    // Chat models stream on the server whatever the modes, as on the official server.
    const options = { ...config, interruptBefore: run.interruptBefore, interruptAfter: run.interruptAfter, subgraphs, callbacks: [new PreferStreaming()] };
    const events: SeenEvent[] = [];
    if (modes.includes("events")) {
      const runId = randomUUID();
      for await (const record of local.streamEvents(input, { ...options, version: "v2", streamMode: graphModes as never, runId })) {
        // Chunks of the graph's own stream are the stream modes' events, not `events` (spec
        // §5.9.2); runs tagged hidden (LangGraph's `__start__`) are not shown, as on the JS server.
        if (record.event === "on_chain_stream" && record.run_id === runId) continue;
        if (record.tags?.includes("langsmith:hidden")) continue;
        events.push(seen("events", toPlainJson(record)));
      }
    } else {
      for await (const chunk of await local.stream(input, { ...options, streamMode: graphModes as never })) {
        const [namespace, mode, payload] = (subgraphs ? chunk : [[], ...(chunk as unknown[])]) as unknown as [string[], string, unknown];
        const base = mode === "messages" ? "messages" : mode;
        // In the API's shape (checkpoint references, subgraph tasks), which the official server
        // sets and test/differential compares; this suite compares the step-by-step split.
        events.push(seen(namespace.length > 0 ? `${base}|${namespace.join("|")}` : base, JSON.parse(eventData(mode, payload))));
      }
    }
    out.push(events);
  }
  return out;
}

/**
 * What may differ by design: ids and times minted per run; the run's own config in checkpoint
 * events and the metadata the server adds to every run (spec §5.10).
 */
const SERVER_METADATA = new Set([
  "run_id", "thread_id", "graph_id", "assistant_id", "user-agent", "created_by", "run_attempt",
  "langgraph_version", "langgraph_plan", "langgraph_host", "langgraph_api_url", "ls_integration",
]);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b[0-9a-f]{32}\b/g;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/;

function seen(name: string, data: unknown): SeenEvent {
  const event = name.replace(UUID, "<id>");
  // A messages-tuple event is `[message chunk, metadata]`.
  if (name.startsWith("messages")) {
    const [chunk, metadata] = data as [unknown, unknown];
    return { event, data: [canonical(chunk), canonical(metadata, "metadata")] };
  }
  return { event, data: canonical(data) };
}

function canonical(value: unknown, key = ""): unknown {
  if (typeof value === "string") return TIME.test(value) ? "<time>" : value.replace(UUID, "<id>");
  if (Array.isArray(value)) return value.map((item) => canonical(item));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !["config", "parent_config", "parentConfig"].includes(k))
      .filter(([k]) => !(key === "metadata" && SERVER_METADATA.has(k)))
      .map(([k, v]) => [k, canonical(v, k)]),
  );
}
