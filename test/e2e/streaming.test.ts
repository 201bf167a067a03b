// Streaming runs over SSE (spec §5.9) with the official JS SDK: `runs.stream`, `runs.joinStream`
// and `threads.joinStream`, on the example agent and on the test graphs of
// test/fixtures/graphs/streaming.ts. Events are produced in the worker's step activities and
// reach the API through the database.
import http from "node:http";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SseStream } from "../../server/sse.ts";
import { CHAT_REPLY } from "../fixtures/graphs/streaming.ts";
import { startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: { SLOW_NODE_MS: "1500" } });
});
afterAll(async () => stack?.stop());

interface Part {
  id?: string;
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
  /** When the client received it. */
  at: number;
}

/** Reads a stream to its end, or until `enough` says so (then the client disconnects). */
async function collect(stream: AsyncIterable<{ id?: string; event: string; data: unknown }>, enough?: (parts: Part[]) => boolean): Promise<Part[]> {
  const parts: Part[] = [];
  for await (const { id, event, data } of stream) {
    parts.push({ id, event, data, at: Date.now() });
    if (enough?.(parts)) break;
  }
  return parts;
}

/** A thread stream replayed from its start, once its text holds `text`; the caller closes it. */
function threadStreamUntil(threadId: string, text: string): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${stack.url}/threads/${threadId}/stream`, { agent: false, headers: { "last-event-id": "-1" } }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
        if (body.includes(text)) resolve(request);
      });
    });
    request.on("error", reject);
  });
}

const WEATHER = { messages: [{ role: "user", content: "what's the weather in sf" }] };
const ANSWER = "It's 60 degrees and foggy in San Francisco. (from the search tool)";
const names = (parts: Part[]) => parts.map((part) => part.event);
const ofEvent = (parts: Part[], event: string) => parts.filter((part) => part.event === event);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await sleep(100);
  }
}

describe("POST /threads/{thread_id}/runs/stream on the example agent", () => {
  it("values: a metadata event, then the state after the input and after every super-step", async () => {
    const thread = await stack.sdk.threads.create();
    const parts = await collect(stack.sdk.runs.stream(thread.thread_id, "agent", { input: WEATHER, streamMode: "values" }));
    const [run] = await stack.sdk.runs.list(thread.thread_id);

    expect(names(parts)).toEqual(["metadata", "values", "values", "values", "values"]);
    expect(parts.map((part) => part.id)).toEqual(["0", "1", "2", "3", "4"]);
    expect(parts[0]!.data).toEqual({ run_id: run!.run_id, thread_id: thread.thread_id, attempt: 1 });
    expect(parts.slice(1).map((part) => part.data.messages.map((m: { type: string }) => m.type))).toEqual([
      ["human"],
      ["human", "ai"],
      ["human", "ai", "tool"],
      ["human", "ai", "tool", "ai"],
    ]);
    // The stream closed after the run ended, with its final state as the last event.
    expect(run!.status).toBe("success");
    expect(parts.at(-1)!.data).toEqual((await stack.sdk.threads.getState(thread.thread_id)).values);
  });

  it("updates: one event per node, with what the node returned", async () => {
    const thread = await stack.sdk.threads.create();
    const parts = await collect(stack.sdk.runs.stream(thread.thread_id, "agent", { input: WEATHER, streamMode: "updates" }));

    expect(names(parts)).toEqual(["metadata", "updates", "updates", "updates"]);
    expect(parts.slice(1).map((part) => Object.keys(part.data))).toEqual([["agent"], ["tools"], ["agent"]]);
    expect(parts[1]!.data.agent.messages[0].tool_calls[0]).toMatchObject({ name: "search", args: { query: "weather in sf" } });
    expect(parts[2]!.data.tools.messages[0]).toMatchObject({ type: "tool", tool_call_id: "call_1" });
    expect(parts[3]!.data.agent.messages[0].content).toBe(ANSWER);
  });

  it("messages-tuple: the model's answer word by word, as `messages` events with the node's metadata", async () => {
    const thread = await stack.sdk.threads.create();
    const parts = await collect(stack.sdk.runs.stream(thread.thread_id, "agent", { input: WEATHER, streamMode: "messages-tuple" }));
    const messages = ofEvent(parts, "messages");

    expect(names(parts)).toEqual(["metadata", ...messages.map(() => "messages")]);
    // The first turn is one chunk carrying the tool call; the tool's message follows whole; the
    // second turn is the answer, one word per chunk, all chunks of one message id.
    const [toolCall, toolResult, ...words] = messages;
    expect(toolCall!.data[0].tool_call_chunks[0]).toMatchObject({ name: "search", id: "call_1" });
    expect(toolResult!.data[0]).toMatchObject({ type: "tool", tool_call_id: "call_1" });
    expect(words.map((part) => part.data[0].content)).toEqual(ANSWER.split(/(?<= )/));
    expect(new Set(words.map((part) => part.data[0].id)).size).toBe(1);
    expect(words[0]!.data[1]).toMatchObject({ langgraph_node: "agent", langgraph_step: 3 });
  });

  it("tasks, checkpoints and debug: the steps as LangGraph reports them, ending with the final checkpoint", async () => {
    const thread = await stack.sdk.threads.create();
    const parts = await collect(stack.sdk.runs.stream(thread.thread_id, "agent", { input: WEATHER, streamMode: ["tasks", "checkpoints", "debug"] }));

    const tasks = ofEvent(parts, "tasks").map((part) => `${part.data.name}:${"result" in part.data ? "result" : "start"}`);
    expect(tasks).toEqual(["agent:start", "agent:result", "tools:start", "tools:result", "agent:start", "agent:result"]);
    const checkpoints = ofEvent(parts, "checkpoints").map((part) => part.data);
    expect(checkpoints.map((c) => c.metadata.step)).toEqual([-1, 0, 1, 2, 3]);
    expect(checkpoints.map((c) => c.next)).toEqual([["__start__"], ["agent"], ["tools"], ["agent"], []]);
    expect(checkpoints.at(-1)!.values.messages).toHaveLength(4);
    expect(checkpoints.at(-1)!.parent_config.configurable.checkpoint_id).toBe(checkpoints.at(-2)!.config.configurable.checkpoint_id);
    const debug = ofEvent(parts, "debug").map((part) => `${part.data.type}@${part.data.step}`);
    expect(debug).toEqual([
      "checkpoint@-1", "checkpoint@0", "task@1", "task_result@1", "checkpoint@1", "task@2", "task_result@2",
      "checkpoint@2", "task@3", "task_result@3", "checkpoint@3",
    ]);
  });

  it("several modes at once arrive interleaved in the order they were produced", async () => {
    const thread = await stack.sdk.threads.create();
    const parts = await collect(stack.sdk.runs.stream(thread.thread_id, "agent", { input: WEATHER, streamMode: ["values", "updates"] }));
    expect(names(parts)).toEqual(["metadata", "values", "updates", "values", "updates", "values", "updates", "values"]);
  });

  it("answers with SSE headers, one-line frames numbered from 0, and no end event", async () => {
    const thread = await stack.sdk.threads.create();
    const response = await fetch(`${stack.url}/threads/${thread.thread_id}/runs/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ assistant_id: "agent", input: WEATHER, stream_mode: ["updates"] }),
    });
    const body = await response.text();
    const [run] = await stack.sdk.runs.list(thread.thread_id);

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("content-location")).toBe(`/threads/${thread.thread_id}/runs/${run!.run_id}`);
    expect(response.headers.get("location")).toBe(`/threads/${thread.thread_id}/runs/${run!.run_id}/stream`);
    const frames = body.split("\n\n").filter(Boolean);
    expect(frames[0]).toBe(`event: metadata\ndata: {"run_id":"${run!.run_id}","thread_id":"${thread.thread_id}","attempt":1}\nid: 0`);
    expect(frames.map((frame) => frame.split("\n").length)).toEqual([3, 3, 3, 3]);
    expect(frames.map((frame) => frame.split("\n")[0])).toEqual(["event: metadata", "event: updates", "event: updates", "event: updates"]);
    expect(frames.map((frame) => frame.split("\n")[2])).toEqual(["id: 0", "id: 1", "id: 2", "id: 3"]);
    expect(body.endsWith("\n\n")).toBe(true);
  });

  it("answers 404, 409 and 422 as JSON before any stream starts", async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${stack.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const missing = "01a1fe14-ffc2-775a-84a5-9c3910ce57e3";
    const thread = await stack.sdk.threads.create();

    const noThread = await post(`/threads/${missing}/runs/stream`, { assistant_id: "agent" });
    expect([noThread.status, noThread.headers.get("content-type")]).toEqual([404, "application/json; charset=utf-8"]);
    expect(await noThread.json()).toMatchObject({ detail: `Thread with ID ${missing} not found` });

    const noAssistant = await post(`/threads/${thread.thread_id}/runs/stream`, { assistant_id: "nope" });
    expect(noAssistant.status).toBe(404);

    const badMode = await post(`/threads/${thread.thread_id}/runs/stream`, { assistant_id: "agent", stream_mode: ["everything"] });
    expect(badMode.status).toBe(422);
    expect(await badMode.json()).toMatchObject({ param: "stream_mode" });

    const slow = await stack.sdk.runs.create(thread.thread_id, "slow", { input: {} });
    const busy = await post(`/threads/${thread.thread_id}/runs/stream`, { assistant_id: "slow", input: {} });
    expect(busy.status).toBe(409);
    expect(await busy.json()).toMatchObject({ code: "thread_busy" });
    await stack.sdk.runs.cancel(thread.thread_id, slow.run_id, true);
  });
});

describe("stream modes on the test graphs", () => {
  it("custom: what the graph writes to its stream writer", async () => {
    const thread = await stack.sdk.threads.create();
    const parts = await collect(stack.sdk.runs.stream(thread.thread_id, "chatty", { input: { messages: [] }, streamMode: "custom" }));
    expect(parts.slice(1).map((part) => [part.event, part.data])).toEqual([
      ["custom", { progress: "planning" }],
      ["custom", { progress: "planned" }],
    ]);
  });

  it("stream_subgraphs: events from inside a subgraph are named <event>|<node>:<task id>", async () => {
    const thread = await stack.sdk.threads.create();
    const input = { messages: [] };
    const flat = await collect(stack.sdk.runs.stream(thread.thread_id, "chatty", { input, streamMode: "updates" }));
    const nested = await collect(stack.sdk.runs.stream(thread.thread_id, "chatty", { input, streamMode: "updates", streamSubgraphs: true }));

    expect(names(flat)).toEqual(["metadata", "updates", "updates", "updates"]);
    const inner = nested.filter((part) => part.event.startsWith("updates|"));
    expect(inner.map((part) => part.event)).toEqual([inner[0]!.event, inner[0]!.event]);
    expect(inner[0]!.event).toMatch(/^updates\|reviewer:[0-9a-f-]{36}$/);
    expect(inner.map((part) => Object.keys(part.data)[0])).toEqual(["check", "approve"]);
    expect(nested.at(-1)).toMatchObject({ event: "updates", data: { reviewer: { review: ["checked", "approved"] } } });
  });

  it("messages-tuple: tokens arrive one by one while the run is still running", async () => {
    const thread = await stack.sdk.threads.create();
    const statusAtFirstToken: string[] = [];
    const parts: Part[] = [];
    const stream: AsyncIterable<{ id?: string; event: string; data: unknown }> = stack.sdk.runs.stream(thread.thread_id, "chatty", {
      input: { messages: [{ role: "user", content: "hi" }] },
      streamMode: ["messages-tuple", "values"],
      config: { configurable: { token_ms: 100 } },
    });
    for await (const { id, event, data } of stream) {
      parts.push({ id, event, data, at: Date.now() });
      if (event === "messages" && statusAtFirstToken.length === 0) {
        const [run] = await stack.sdk.runs.list(thread.thread_id);
        statusAtFirstToken.push(run!.status);
      }
    }
    const tokens = ofEvent(parts, "messages");

    expect(statusAtFirstToken).toEqual(["running"]);
    expect(tokens.map((part) => part.data[0].content).join("")).toBe(CHAT_REPLY);
    expect(tokens.map((part) => part.data[0].content.length)).toEqual([...CHAT_REPLY].map(() => 1));
    // ~100 ms apart as the model produced them, not in one burst at the end of the step.
    expect(tokens.at(-1)!.at - tokens[0]!.at).toBeGreaterThan(1000);
    // All before the state that holds the whole message.
    const lastToken = parts.indexOf(tokens.at(-1)!);
    expect(parts.slice(lastToken + 1).some((part) => part.event === "values" && part.data.messages.length === 2)).toBe(true);
  });

  it("messages (legacy): the message announced, accumulated token by token, then complete in the state", async () => {
    const thread = await stack.sdk.threads.create();
    const parts = await collect(stack.sdk.runs.stream(thread.thread_id, "chatty", { input: { messages: [{ role: "user", content: "hi" }] }, streamMode: "messages" }));
    const partials = ofEvent(parts, "messages/partial");

    expect(names(parts)).toEqual(["metadata", "messages/complete", "messages/metadata", ...partials.map(() => "messages/partial"), "messages/complete"]);
    expect(parts[1]!.data).toEqual([expect.objectContaining({ type: "human", content: "hi" })]);
    const id = partials[0]!.data[0].id;
    expect(parts[2]!.data).toEqual({ [id]: { metadata: expect.objectContaining({ langgraph_node: "chat" }) } });
    expect(partials.map((part) => part.data[0].content)).toEqual([...CHAT_REPLY].map((_, i) => CHAT_REPLY.slice(0, i + 1)));
    expect(parts.at(-1)!.data).toEqual([expect.objectContaining({ id, type: "ai", content: CHAT_REPLY })]);
  });

  it("an interrupt() ends the stream with __interrupt__; resuming streams the rest", async () => {
    const thread = await stack.sdk.threads.create();
    const first = await collect(stack.sdk.runs.stream(thread.thread_id, "asking", { input: {}, streamMode: "updates" }));
    expect(first.at(-1)!.data).toEqual({ __interrupt__: [{ id: expect.any(String), value: { question: "Which city?" } }] });

    const second = await collect(stack.sdk.runs.stream(thread.thread_id, "asking", { command: { resume: "Paris" }, streamMode: "updates" }));
    expect(second.slice(1).map((part) => part.data)).toEqual([{ ask: { answer: "Paris" } }, { respond: { reply: "Weather for Paris" } }]);
  });

  it("a failing run ends its stream with an error event, after a metadata event per attempt", async () => {
    const thread = await stack.sdk.threads.create();
    const parts = await collect(stack.sdk.runs.stream(thread.thread_id, "failing", { input: {}, streamMode: "values" }));
    expect(names(parts)).toEqual(["metadata", "metadata", "metadata", "error"]);
    expect(ofEvent(parts, "metadata").map((part) => part.data.attempt)).toEqual([1, 2, 3]);
    expect(parts.at(-1)!.data).toEqual({ error: "CustomError", message: "Boo!" });
    expect(parts.map((part) => part.id)).toEqual(["0", "1", "2", "3"]);
    // Replays end the same way, with the same id.
    const [run] = await stack.sdk.runs.list(thread.thread_id);
    const replay = await collect(stack.sdk.runs.joinStream(thread.thread_id, run!.run_id, { lastEventId: "-1" }));
    expect(replay.map(({ id, event, data }) => ({ id, event, data }))).toEqual(parts.map(({ id, event, data }) => ({ id, event, data })));
  });

  it("a retried step marks its attempt with another metadata event, and the run streams on", async () => {
    const thread = await stack.sdk.threads.create();
    const parts = await collect(stack.sdk.runs.stream(thread.thread_id, "flaky", { input: {}, streamMode: "updates" }));
    expect(ofEvent(parts, "metadata").map((part) => part.data.attempt)).toEqual([1, 2, 3]);
    expect(parts.at(-1)).toMatchObject({ event: "updates", data: { work: { attempts: 3 } } });
    const ids = parts.map((part) => Number(part.id));
    expect(ids).toEqual(ids.map((_, index) => index));
  });

  it("POST /runs/stream streams a stateless run", async () => {
    const response = await fetch(`${stack.url}/runs/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ assistant_id: "agent", input: WEATHER, stream_mode: "updates" }),
    });
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-location")).toMatch(/^\/runs\/[0-9a-f-]{36}$/);
    expect(body.match(/^event: .*$/gm)).toEqual(["event: metadata", "event: updates", "event: updates", "event: updates"]);

    const parts = await collect(stack.sdk.runs.stream(null, "agent", { input: WEATHER, streamMode: "values" }));
    expect(parts.at(-1)!.data.messages.at(-1).content).toBe(ANSWER);
  });
});

describe("joining a run's stream (GET /threads/{thread_id}/runs/{run_id}/stream)", () => {
  const chattyRun = async (tokenMs: number) => {
    const thread = await stack.sdk.threads.create();
    const run = await stack.sdk.runs.create(thread.thread_id, "chatty", {
      input: { messages: [{ role: "user", content: "hi" }] },
      streamMode: ["values", "updates", "messages-tuple"],
      config: { configurable: { token_ms: tokenMs } },
    });
    return { threadId: thread.thread_id, runId: run.run_id };
  };
  const plain = (parts: Part[]) => parts.map(({ id, event, data }) => ({ id, event, data }));

  it("a client that joins mid-run and reconnects with Last-Event-ID sees exactly the uninterrupted stream", async () => {
    const { threadId, runId } = await chattyRun(60);
    // 1. one client reads the whole stream from the first event
    const whole = collect(stack.sdk.runs.joinStream(threadId, runId, { lastEventId: "-1" }));
    // 2. another reads ten events, goes away, and comes back with the last id it saw
    const before = await collect(stack.sdk.runs.joinStream(threadId, runId, { lastEventId: "-1" }), (parts) => parts.length === 10);
    const lastSeen = before.at(-1)!.id!;
    await sleep(300);
    const after = await collect(stack.sdk.runs.joinStream(threadId, runId, { lastEventId: lastSeen }));
    // 3. a third joins mid-run without Last-Event-ID: only what comes after the join
    const late = await collect(stack.sdk.runs.joinStream(threadId, runId));

    const reference = plain(await whole);
    expect((await stack.sdk.runs.get(threadId, runId)).status).toBe("success");
    expect(reference.map((part) => part.id)).toEqual(reference.map((_, index) => String(index)));
    expect(plain([...before, ...after])).toEqual(reference);
    expect(Number(after[0]!.id)).toBe(Number(lastSeen) + 1);
    expect(late).toEqual([]);
    // 4. after the run ended, `-1` replays it all again, identically
    expect(plain(await collect(stack.sdk.runs.joinStream(threadId, runId, { lastEventId: "-1" })))).toEqual(reference);
  });

  it("a join without Last-Event-ID during the run gets only the events after the join", async () => {
    const { threadId, runId } = await chattyRun(100);
    await eventually(() => stack.core.storage.runEvents.lastSeq(runId), (seq) => seq >= 5);
    const joined = await collect(stack.sdk.runs.joinStream(threadId, runId));
    const whole = plain(await collect(stack.sdk.runs.joinStream(threadId, runId, { lastEventId: "-1" })));
    expect(Number(joined[0]!.id)).toBeGreaterThan(5);
    expect(plain(joined)).toEqual(whole.slice(Number(joined[0]!.id)));
  });

  it("replays are byte-identical to what the run's own stream sent", async () => {
    const thread = await stack.sdk.threads.create();
    const live = await fetch(`${stack.url}/threads/${thread.thread_id}/runs/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ assistant_id: "chatty", input: { messages: [] }, stream_mode: ["values", "messages-tuple", "debug"] }),
    });
    const original = await live.text();
    const replay = await fetch(`${stack.url}${live.headers.get("location")}`, { headers: { "last-event-id": "-1" } });
    expect(await replay.text()).toBe(original);
  });

  it("?stream_mode= keeps only those modes, with the metadata event", async () => {
    const { threadId, runId } = await chattyRun(0);
    await stack.sdk.runs.join(threadId, runId);
    const parts = await collect(stack.sdk.runs.joinStream(threadId, runId, { lastEventId: "-1", streamMode: ["updates"] }));
    expect(names(parts)).toEqual(["metadata", "updates", "updates", "updates"]);
  });

  it("a run that ended, joined without Last-Event-ID: 200 and the stream closes without events", async () => {
    const { threadId, runId } = await chattyRun(0);
    await stack.sdk.runs.join(threadId, runId);
    const response = await fetch(`${stack.url}/threads/${threadId}/runs/${runId}/stream`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  it("any number of clients read the same run, each getting every event", async () => {
    const { threadId, runId } = await chattyRun(20);
    const readers = await Promise.all([1, 2, 3].map(() => collect(stack.sdk.runs.joinStream(threadId, runId, { lastEventId: "-1" }))));
    expect(plain(readers[1]!)).toEqual(plain(readers[0]!));
    expect(plain(readers[2]!)).toEqual(plain(readers[0]!));
    expect(readers[0]!.length).toBeGreaterThan(20);
  });

  it("answers 404 for a run of another thread and 422 for a Last-Event-ID that is not an event id", async () => {
    const { threadId, runId } = await chattyRun(0);
    const other = await stack.sdk.threads.create();
    expect((await fetch(`${stack.url}/threads/${other.thread_id}/runs/${runId}/stream`)).status).toBe(404);
    const bad = await fetch(`${stack.url}/threads/${threadId}/runs/${runId}/stream`, { headers: { "last-event-id": "abc" } });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ param: "last-event-id" });
    const badMode = await fetch(`${stack.url}/threads/${threadId}/runs/${runId}/stream?stream_mode=everything`);
    expect(badMode.status).toBe(422);
  });
});

describe("client disconnects", () => {
  it("cancel_on_disconnect=true cancels the run when the joined client goes away", async () => {
    const thread = await stack.sdk.threads.create();
    const run = await stack.sdk.runs.create(thread.thread_id, "slow", { input: {}, streamMode: "updates" });
    const controller = new AbortController();
    const reading = collect(
      stack.sdk.runs.joinStream(thread.thread_id, run.run_id, { lastEventId: "-1", cancelOnDisconnect: true, signal: controller.signal }),
      (parts) => parts.length === 1,
    );
    await reading;
    controller.abort();
    const ended = await eventually(() => stack.sdk.runs.get(thread.thread_id, run.run_id), (r) => r.status !== "running" && r.status !== "pending");
    expect(ended.status).toBe("interrupted");
  });

  it("on_disconnect=cancel on a created stream cancels; the default lets the run go on", async () => {
    const cancelled = await stack.sdk.threads.create();
    const controller = new AbortController();
    await collect(
      stack.sdk.runs.stream(cancelled.thread_id, "slow", { input: {}, streamMode: "updates", onDisconnect: "cancel", signal: controller.signal }),
      (parts) => parts.length === 1,
    );
    controller.abort();

    const kept = await stack.sdk.threads.create();
    await collect(stack.sdk.runs.stream(kept.thread_id, "slow", { input: {}, streamMode: "updates" }), (parts) => parts.length === 1);

    const [cancelledRun] = await stack.sdk.runs.list(cancelled.thread_id);
    const ended = await eventually(() => stack.sdk.runs.get(cancelled.thread_id, cancelledRun!.run_id), (r) => r.status === "interrupted");
    expect(ended.status).toBe("interrupted");
    const [keptRun] = await stack.sdk.runs.list(kept.thread_id);
    expect(await stack.sdk.runs.join(kept.thread_id, keptRun!.run_id)).toEqual({ visited: ["a", "b", "c"] });
  });
});

describe("joining a thread's stream (GET /threads/{thread_id}/stream)", () => {
  it("replays every run of the thread with Last-Event-ID -1, each closed by run_done, and stays open", async () => {
    const thread = await stack.sdk.threads.create();
    for (let i = 0; i < 2; i++) {
      const run = await stack.sdk.runs.create(thread.thread_id, "chatty", { input: { messages: [] }, streamMode: "updates" });
      await stack.sdk.runs.join(thread.thread_id, run.run_id);
    }
    const [second, earlier] = await stack.sdk.runs.list(thread.thread_id);

    const controller = new AbortController();
    const parts = await collect(
      stack.sdk.threads.joinStream(thread.thread_id, { lastEventId: "-1", signal: controller.signal }),
      (seen) => seen.filter((part) => part.event === "run_done").length === 2,
    );
    controller.abort();
    const perRun = ["metadata", "updates", "updates", "updates", "run_done"];
    expect(names(parts)).toEqual([...perRun, ...perRun]);
    expect(parts[0]).toMatchObject({ id: `${earlier!.run_id}:0`, data: { run_id: earlier!.run_id } });
    expect(parts[4]).toMatchObject({ id: `${earlier!.run_id}:done`, data: { run_id: earlier!.run_id, status: "success" } });
    expect(parts[5]).toMatchObject({ id: `${second!.run_id}:0`, data: { run_id: second!.run_id } });

    // lifecycle: only where runs start and end; resuming after the first run's end
    const stop = new AbortController();
    const lifecycle = await collect(
      stack.sdk.threads.joinStream(thread.thread_id, { lastEventId: `${earlier!.run_id}:done`, streamMode: "lifecycle", signal: stop.signal }),
      (seen) => seen.some((part) => part.event === "run_done"),
    );
    stop.abort();
    expect(lifecycle.map((part) => part.id)).toEqual([`${second!.run_id}:0`, `${second!.run_id}:done`]);
  });

  it("joined live, it streams runs that start afterwards", async () => {
    const thread = await stack.sdk.threads.create();
    const controller = new AbortController();
    const reading = collect(
      stack.sdk.threads.joinStream(thread.thread_id, { signal: controller.signal }),
      (seen) => seen.some((part) => part.event === "run_done"),
    );
    await sleep(300);
    const run = await stack.sdk.runs.create(thread.thread_id, "chatty", { input: { messages: [] }, streamMode: "custom" });
    const parts = await reading;
    controller.abort();
    expect(names(parts)).toEqual(["metadata", "custom", "custom", "run_done"]);
    expect(parts.at(-1)!.data).toEqual({ run_id: run.run_id, status: "success" });
  });

  it("serves more than ten clients at once without Node's listener-leak warning", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    try {
      const thread = await stack.sdk.threads.create();
      const run = await stack.sdk.runs.create(thread.thread_id, "chatty", { input: { messages: [] }, streamMode: "custom" });
      await stack.sdk.runs.join(thread.thread_id, run.run_id);
      // Thread streams stay open: once each has replayed the run to its end, all twelve are open.
      // A connection each (no pool), closed by the test, so none outlives it.
      const streams = await Promise.all(Array.from({ length: 12 }, () => threadStreamUntil(thread.thread_id, "event: run_done")));
      for (const stream of streams) stream.destroy();
      await sleep(50); // warnings are emitted on a later tick
      expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("answers 404 for a missing thread and 501 for state_update", async () => {
    expect((await fetch(`${stack.url}/threads/01a1fe14-ffc2-775a-84a5-9c3910ce57e3/stream`)).status).toBe(404);
    const thread = await stack.sdk.threads.create();
    expect((await fetch(`${stack.url}/threads/${thread.thread_id}/stream?stream_mode=state_update`)).status).toBe(501);
  });
});

describe("heartbeat", () => {
  it("writes a `: heartbeat` comment during silence, which SSE clients skip", async () => {
    const app = Fastify();
    app.get("/quiet", async (_request, reply) => {
      const sse = new SseStream(reply, 100);
      setTimeout(() => {
        void sse.write({ id: 0, event: "values", data: "{}" }).then(() => sse.end());
      }, 350);
      return sse.start({});
    });
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const body = await (await fetch(`${url}/quiet`)).text();
      expect(body).toMatch(/^(: heartbeat\n\n){3}event: values\ndata: \{\}\nid: 0\n\n$/);
    } finally {
      await app.close();
    }
  });
});
