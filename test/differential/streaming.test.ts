// Streaming (spec §5.9): every stream mode alone and in combination, subgraphs, interrupts
// inside subgraphs, legacy `messages` mode, joinStream.
import { describe } from "vitest";
import type { StreamMode } from "@langchain/langgraph-sdk";
import { differentialFile, scenario, type Transcript } from "./harness.ts";

differentialFile();

const WEATHER = { messages: [{ role: "user", content: "what's the weather in sf" }] };
const HELLO = { messages: [{ role: "user", content: "hello" }] };
const SINGLE_MODES = ["values", "updates", "messages-tuple", "messages", "custom", "debug", "tasks", "checkpoints", "tools"] as const;

async function streamOnNewThread(t: Transcript, label: string, graph: string, input: Record<string, unknown>, streamMode: StreamMode[], streamSubgraphs = false) {
  const thread = await t.call(`${label}: thread`, (c) => c.threads.create());
  await t.stream(label, (c) => c.runs.stream(thread.thread_id, graph, { input, streamMode, streamSubgraphs }));
  await t.call(`${label}: state`, (c) => c.threads.getState(thread.thread_id));
  return thread;
}

describe("streaming", () => {
  for (const mode of SINGLE_MODES) {
    scenario(`the tools agent, ${mode}`, async (t) => {
      await streamOnNewThread(t, mode, "agent", WEATHER, [mode]);
    });
  }

  scenario("the tools agent, legacy messages next to values and updates", async (t) => {
    await streamOnNewThread(t, "messages+values+updates", "agent", WEATHER, ["messages", "values", "updates"]);
    await streamOnNewThread(t, "messages-tuple+values", "agent", WEATHER, ["messages-tuple", "values"]);
  });

  scenario("a streaming model, legacy messages and messages-tuple", async (t) => {
    await streamOnNewThread(t, "messages", "chatty", HELLO, ["messages"]);
    await streamOnNewThread(t, "messages+values", "chatty", HELLO, ["messages", "values"]);
    await streamOnNewThread(t, "messages-tuple+updates, subgraphs", "chatty", HELLO, ["messages-tuple", "updates"], true);
  });

  scenario("subgraphs: every mode at once", async (t) => {
    await streamOnNewThread(t, "all modes", "chatty", HELLO, ["values", "updates", "messages-tuple", "custom", "tasks", "checkpoints", "debug"], true);
  });

  scenario("interrupt() two subgraphs deep, streamed, then resumed", async (t) => {
    // Without `debug`: the JS server merges task results into a subgraph checkpoint event it already queued (README).
    const modes: StreamMode[] = ["values", "updates", "tasks", "checkpoints"];
    const thread = await streamOnNewThread(t, "until the interrupt", "deep", { log: ["start"] }, modes, true);
    await t.stream("resume", (c) => c.runs.stream(thread.thread_id, "deep", { command: { resume: "Paris" }, streamMode: modes, streamSubgraphs: true }));
    await t.call("history", (c) => c.threads.getHistory(thread.thread_id));
  });

  scenario("interrupt() two subgraphs deep, no subgraph events", async (t) => {
    const thread = await streamOnNewThread(t, "until the interrupt", "deep", { log: ["start"] }, ["values", "updates"]);
    await t.stream("resume", (c) => c.runs.stream(thread.thread_id, "deep", { command: { resume: "Paris" }, streamMode: ["values", "updates"] }));
  });

  scenario("Command and Send", async (t) => {
    await streamOnNewThread(t, "router", "router", { items: ["a", "b"] }, ["values", "updates", "tasks", "debug"]);
  });

  scenario("a graph that raises, streamed", async (t) => {
    await streamOnNewThread(t, "failing", "failing", { text: "x" }, ["values", "updates", "checkpoints", "tasks", "debug"]);
  });

  scenario("breakpoints, streamed step by step: checkpoints and debug", async (t) => {
    const modes: StreamMode[] = ["checkpoints", "debug"];
    const thread = await t.call("thread", (c) => c.threads.create());
    await t.stream("until before tools", (c) => c.runs.stream(thread.thread_id, "agent", { input: WEATHER, streamMode: modes, interruptBefore: ["tools"] }));
    await t.stream("continue", (c) => c.runs.stream(thread.thread_id, "agent", { input: null, streamMode: modes }));
    await t.call("history", (c) => c.threads.getHistory(thread.thread_id));
  });

  scenario("joinStream of a finished run and threads.joinStream", async (t) => {
    const thread = await t.call("thread", (c) => c.threads.create());
    const run = await t.call("create with stream modes", (c) => c.runs.create(thread.thread_id, "echo", { input: HELLO, streamMode: ["values", "updates"] }));
    await t.call("join", (c) => c.runs.join(thread.thread_id, run.run_id));
    await t.stream("joinStream after the end", (c) => c.runs.joinStream(thread.thread_id, run.run_id));
  });

  scenario("stream events", async (t) => {
    const thread = await t.call("thread", (c) => c.threads.create());
    const events = await t.stream("events", (c) => c.runs.stream(thread.thread_id, "echo", { input: HELLO, streamMode: ["events"] }));
    t.note("event kinds", events.map((e) => (e.data as { event?: string })?.event ?? e.event));
  });
});
