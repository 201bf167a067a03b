// Thread state over HTTP with the official JS SDK (spec §3.4, §4.2, §4.3): reading the state
// (latest, at a checkpoint, of subgraphs), updating it (and forking from the past), patching
// checkpoint metadata, and the history.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Checkpoint } from "@langchain/langgraph-sdk";
import { apiCaller, expectNotFoundOnEach, MISSING_ID as MISSING, type Route } from "../helpers/http.ts";
import { startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

/** A raw call to this file's API (the SDK hides status codes and headers). */
const call = apiCaller(() => stack.url);

type UpdateOptions = Parameters<Stack["sdk"]["threads"]["updateState"]>[1];

/** `threads.updateState`; its SDK 1.15 typing says config, the server answers `{checkpoint}` (spec §3.4). */
async function updateState(threadId: string, options: UpdateOptions): Promise<Checkpoint> {
  const { checkpoint } = (await stack.sdk.threads.updateState(threadId, options)) as unknown as { checkpoint: Checkpoint };
  return checkpoint;
}

/** A partial Checkpoint, as the SDK sends it to POST /state/checkpoint. */
const at = (fields: Partial<Checkpoint>) => fields as Checkpoint;

/** A notes thread with two checkpoints from supersteps; returns their ids, oldest first. */
async function twoCheckpoints() {
  const thread = await stack.sdk.threads.create({
    graphId: "notes",
    supersteps: [
      { updates: [{ values: { notes: ["one"] }, asNode: "write" }] },
      { updates: [{ values: { notes: ["two"] }, asNode: "write" }] },
    ],
  });
  const [second, first] = await stack.sdk.threads.getHistory(thread.thread_id);
  return { threadId: thread.thread_id, first: first!.checkpoint.checkpoint_id!, second: second!.checkpoint.checkpoint_id! };
}

/** A thread whose run of `graphId` stopped at the approve interrupt. */
async function interruptedThread(graphId: string) {
  const thread = await stack.sdk.threads.create();
  const run = await stack.sdk.runs.create(thread.thread_id, graphId, { input: { notes: ["hello"] } });
  await stack.sdk.runs.join(thread.thread_id, run.run_id);
  return { threadId: thread.thread_id, runId: run.run_id };
}

describe("GET /threads/{tid}/state", () => {
  it("is empty for a thread without checkpoints", async () => {
    const thread = await stack.sdk.threads.create();
    expect(await stack.sdk.threads.getState(thread.thread_id)).toEqual({
      values: {},
      next: [],
      tasks: [],
      metadata: null,
      created_at: null,
      checkpoint: null,
      parent_checkpoint: null,
      interrupts: [],
    });
  });

  it("shows the latest checkpoint of a run stopped at an interrupt, and the thread agrees", async () => {
    const { threadId, runId } = await interruptedThread("notes");
    const state = await stack.sdk.threads.getState(threadId);
    expect(state.values).toEqual({ notes: ["hello", "draft"] });
    expect(state.next).toEqual(["approve"]);
    expect(state.tasks).toHaveLength(1);
    expect(state.tasks[0]).toMatchObject({ name: "approve", error: null, interrupts: [{ value: { question: "title?" } }] });
    expect((state as unknown as { interrupts: unknown[] }).interrupts).toEqual(state.tasks[0]!.interrupts);
    expect(state.metadata).toMatchObject({ run_id: runId, graph_id: "notes", source: "loop" });
    expect(state.metadata).not.toHaveProperty("checkpoint_ns");
    expect(state.checkpoint).toEqual({ thread_id: threadId, checkpoint_ns: "", checkpoint_id: expect.any(String), checkpoint_map: null });
    expect(state.parent_checkpoint?.checkpoint_id).toBeTruthy();

    const thread = await stack.sdk.threads.get(threadId);
    expect(thread.status).toBe("interrupted");
    expect(thread.values).toEqual(state.values);
    expect(thread.interrupts).toEqual({ [state.tasks[0]!.id]: state.tasks[0]!.interrupts });
  });

  it("includes the state of an interrupted subgraph with ?subgraphs=true, and reads its namespace", async () => {
    const { threadId } = await interruptedThread("notes-subgraph");
    const flat = await stack.sdk.threads.getState(threadId);
    expect(flat.next).toEqual(["review"]);
    expect(flat.tasks[0]!.state).toBeNull();

    const deep = await stack.sdk.threads.getState(threadId, undefined, { subgraphs: true });
    const sub = deep.tasks[0]!.state as { values: unknown; next: string[]; checkpoint: { checkpoint_ns: string; checkpoint_id: string } };
    expect(sub.values).toEqual({ notes: ["hello", "draft"] });
    expect(sub.next).toEqual(["approve"]);
    const namespace = sub.checkpoint.checkpoint_ns;
    expect(namespace).toMatch(/^review:/);
    // As on the official server: a task carrying the subgraph's state has no `checkpoint` of
    // its own (the state says where it is); without subgraphs it names the subgraph's namespace.
    expect(deep.tasks[0]!.checkpoint).toBeNull();
    expect(flat.tasks[0]!.checkpoint).toEqual({ thread_id: threadId, checkpoint_ns: namespace });

    // The subgraph's own checkpoints, by namespace.
    const subState = await stack.sdk.threads.getState(threadId, at({ checkpoint_ns: namespace }));
    expect(subState.values).toEqual({ notes: ["hello", "draft"] });
    const subHistory = await stack.sdk.threads.getHistory(threadId, { checkpoint: { checkpoint_ns: namespace } });
    expect(subHistory.length).toBeGreaterThan(1);
    expect(subHistory.every((s) => s.checkpoint.checkpoint_ns === namespace)).toBe(true);
    expect(subHistory[0]!.values).toEqual({ notes: ["hello", "draft"] });
  });
});

describe("POST /threads/{tid}/state", () => {
  it("writes values as a node on top of the latest checkpoint and updates Thread.values", async () => {
    const { threadId, second } = await twoCheckpoints();
    const before = await stack.sdk.threads.get(threadId);
    const checkpoint = await updateState(threadId, { values: { notes: ["three"], title: "t" }, asNode: "write" });
    expect(checkpoint).toEqual({ thread_id: threadId, checkpoint_ns: "", checkpoint_id: expect.any(String), checkpoint_map: null });

    const state = await stack.sdk.threads.getState(threadId);
    expect(state.checkpoint.checkpoint_id).toBe(checkpoint.checkpoint_id);
    expect(state.parent_checkpoint?.checkpoint_id).toBe(second);
    expect(state.values).toEqual({ notes: ["one", "two", "three"], title: "t" });
    expect(state.metadata).toMatchObject({ source: "update", step: 2 });

    const thread = await stack.sdk.threads.get(threadId);
    expect(thread.values).toEqual(state.values);
    expect(thread.status).toBe("idle");
    expect(thread.updated_at > before.updated_at).toBe(true);
  });

  it("does not change the status of an interrupted thread", async () => {
    const { threadId } = await interruptedThread("notes");
    await stack.sdk.threads.updateState(threadId, { values: { notes: ["edited"] }, asNode: "write" });
    const thread = await stack.sdk.threads.get(threadId);
    expect(thread.status).toBe("interrupted");
    expect(thread.values).toEqual({ notes: ["hello", "draft", "edited"] });
  });

  it("forks from a past checkpoint: the new checkpoint's parent is that checkpoint (time travel)", async () => {
    const { threadId, first, second } = await twoCheckpoints();
    const fork = await updateState(threadId, { values: { notes: ["fork"] }, asNode: "write", checkpointId: first });

    const forked = await stack.sdk.threads.getState(threadId, fork.checkpoint_id!);
    expect(forked.parent_checkpoint?.checkpoint_id).toBe(first);
    expect(forked.values).toEqual({ notes: ["one", "fork"] });
    // The fork is the thread's latest state now; the abandoned branch stays in the history.
    expect((await stack.sdk.threads.getState(threadId)).checkpoint.checkpoint_id).toBe(fork.checkpoint_id);
    expect((await stack.sdk.threads.get(threadId)).values).toEqual({ notes: ["one", "fork"] });
    const history = await stack.sdk.threads.getHistory(threadId);
    expect(history.map((s) => [s.checkpoint.checkpoint_id, s.parent_checkpoint?.checkpoint_id ?? null])).toEqual([
      [fork.checkpoint_id, first],
      [second, first],
      [first, null],
    ]);

    // The same with a Checkpoint object, as a client hands back what it read.
    const again = await updateState(threadId, { values: { notes: ["again"] }, asNode: "write", checkpoint: at({ checkpoint_id: second, checkpoint_ns: "" }) });
    const fromObject = await stack.sdk.threads.getState(threadId, again.checkpoint_id!);
    expect(fromObject.parent_checkpoint?.checkpoint_id).toBe(second);
    expect(fromObject.values).toEqual({ notes: ["one", "two", "again"] });
  });

  it("answers 409 while a run is in flight", async () => {
    const thread = await stack.sdk.threads.create();
    const run = await stack.sdk.runs.create(thread.thread_id, "slow", { input: {} });
    const busy = await call("POST", `/threads/${thread.thread_id}/state`, { values: { visited: ["x"] }, as_node: "a" });
    expect(busy).toMatchObject({ status: 409, body: { detail: "Thread is busy" } });
    await stack.sdk.runs.cancel(thread.thread_id, run.run_id, true);
  });

  it("refuses what cannot be applied: no graph (400), unknown node (400), unknown checkpoint or subgraph (404), bad values (422)", async () => {
    const bare = await stack.sdk.threads.create();
    expect(await call("POST", `/threads/${bare.thread_id}/state`, { values: { notes: ["x"] }, as_node: "write" })).toMatchObject({
      status: 400,
      body: { detail: `Thread ${bare.thread_id} has no graph ID` },
    });
    const { threadId } = await twoCheckpoints();
    const unknownNode = await call("POST", `/threads/${threadId}/state`, { values: { notes: ["x"] }, as_node: "nowhere" });
    expect(unknownNode.status).toBe(400);
    expect(unknownNode.body.detail).toMatch(/nowhere/);
    const unknownCheckpoint = await call("POST", `/threads/${threadId}/state`, { values: { notes: ["x"] }, as_node: "write", checkpoint_id: MISSING });
    expect(unknownCheckpoint).toMatchObject({ status: 404, body: { detail: `Checkpoint ${MISSING} not found` } });
    const badValues = await call("POST", `/threads/${threadId}/state`, { values: "x", as_node: "write" });
    expect(badValues).toMatchObject({ status: 422, body: { param: "values" } });
    // Found by the fuzz run: a subgraph namespace the graph does not have was a 500.
    const unknownSubgraph = await call("POST", `/threads/${threadId}/state`, { values: { notes: ["x"] }, checkpoint: { checkpoint_ns: "nowhere:1" } });
    expect(unknownSubgraph).toMatchObject({ status: 404, body: { detail: 'Subgraph "nowhere" not found' } });
    // Nothing of that reached the thread.
    expect((await stack.sdk.threads.getHistory(threadId)).length).toBe(2);
  });
});

describe("PATCH /threads/{tid}/state", () => {
  it("merges metadata into the latest checkpoint, which keeps its id (204)", async () => {
    const { threadId, second } = await twoCheckpoints();
    expect(await stack.sdk.threads.patchState(threadId, { reviewed: true })).toBeUndefined();
    const state = await stack.sdk.threads.getState(threadId);
    expect(state.checkpoint.checkpoint_id).toBe(second);
    expect(state.metadata).toMatchObject({ reviewed: true, source: "update", step: 1 });
    expect(state.values).toEqual({ notes: ["one", "two"] });
    // The metadata filter of the history finds it.
    const reviewed = await stack.sdk.threads.getHistory(threadId, { metadata: { reviewed: true } });
    expect(reviewed.map((s) => s.checkpoint.checkpoint_id)).toEqual([second]);
  });

  it("answers 404 for a thread without checkpoints and 422 without metadata", async () => {
    const thread = await stack.sdk.threads.create();
    expect((await call("PATCH", `/threads/${thread.thread_id}/state`, { metadata: { a: 1 } })).status).toBe(404);
    expect(await call("PATCH", `/threads/${thread.thread_id}/state`, {})).toMatchObject({ status: 422, body: { param: "metadata" } });
  });
});

describe("state at a checkpoint", () => {
  it("is read by id (GET) or by Checkpoint object (POST /state/checkpoint)", async () => {
    const { threadId, first } = await twoCheckpoints();
    const byId = await stack.sdk.threads.getState(threadId, first);
    expect(byId.checkpoint.checkpoint_id).toBe(first);
    expect(byId.values).toEqual({ notes: ["one"] });
    expect(byId.parent_checkpoint).toBeNull();
    expect(await stack.sdk.threads.getState(threadId, at({ checkpoint_id: first }))).toEqual(byId);
    const [, oldest] = await stack.sdk.threads.getHistory(threadId);
    expect(oldest).toEqual(byId);
  });

  it("answers 404 for an unknown checkpoint", async () => {
    const { threadId } = await twoCheckpoints();
    expect(await call("GET", `/threads/${threadId}/state/${MISSING}`)).toMatchObject({ status: 404, body: { detail: `Checkpoint ${MISSING} not found` } });
    expect(await call("POST", `/threads/${threadId}/state/checkpoint`, { checkpoint: { checkpoint_id: MISSING } })).toMatchObject({
      status: 404,
      body: { detail: `Checkpoint ${MISSING} not found` },
    });
    expect(await call("POST", `/threads/${threadId}/state/checkpoint`, {})).toMatchObject({ status: 422, body: { param: "checkpoint" } });
  });
});

describe("history", () => {
  it("lists checkpoints newest first, with limit and before (string, object, or under configurable)", async () => {
    const { threadId, first, second } = await twoCheckpoints();
    const third = (await updateState(threadId, { values: { notes: ["three"] }, asNode: "write" })).checkpoint_id!;
    const ids = (states: Array<{ checkpoint: Checkpoint }>) => states.map((s) => s.checkpoint.checkpoint_id);

    expect(ids(await stack.sdk.threads.getHistory(threadId))).toEqual([third, second, first]);
    expect(ids(await stack.sdk.threads.getHistory(threadId, { limit: 1 }))).toEqual([third]);
    expect(ids(await stack.sdk.threads.getHistory(threadId, { before: { configurable: { checkpoint_id: third } } }))).toEqual([second, first]);
    expect(ids((await call("POST", `/threads/${threadId}/history`, { before: second })).body)).toEqual([first]);
    expect(ids((await call("POST", `/threads/${threadId}/history`, { before: { checkpoint_id: third }, limit: 1 })).body)).toEqual([second]);
    expect(ids((await call("GET", `/threads/${threadId}/history?limit=2`)).body)).toEqual([third, second]);
    expect(ids((await call("GET", `/threads/${threadId}/history?before=${second}`)).body)).toEqual([first]);

    const history = await stack.sdk.threads.getHistory(threadId);
    expect(history.map((s) => s.values)).toEqual([{ notes: ["one", "two", "three"] }, { notes: ["one", "two"] }, { notes: ["one"] }]);
    expect(history.map((s) => s.parent_checkpoint?.checkpoint_id ?? null)).toEqual([second, first, null]);
  });

  it("filters by checkpoint metadata", async () => {
    const { threadId, runId } = await interruptedThread("notes");
    const mine = await stack.sdk.threads.getHistory(threadId, { metadata: { run_id: runId } });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((s) => s.metadata?.run_id === runId)).toBe(true);
    const inputs = await stack.sdk.threads.getHistory(threadId, { metadata: { source: "input" } });
    expect(inputs.map((s) => s.metadata?.source)).toEqual(["input"]);
    expect(await stack.sdk.threads.getHistory(threadId, { metadata: { run_id: MISSING } })).toEqual([]);
  });

  it("filters by metadata keys of any spelling: empty, dotted, quoted (the fuzz run's 500)", async () => {
    const { threadId, second } = await twoCheckpoints();
    const keys = { "": "empty", "a.b": "dotted", 'q"x': "quoted", "[0]": "bracket" };
    expect((await call("PATCH", `/threads/${threadId}/state`, { metadata: keys })).status).toBe(204);
    for (const [key, value] of Object.entries(keys)) {
      const { status, body } = await call("POST", `/threads/${threadId}/history`, { metadata: { [key]: value } });
      const ids = Array.isArray(body) ? (body as Array<{ checkpoint: Checkpoint }>).map((s) => s.checkpoint.checkpoint_id) : body;
      expect({ key, status, ids }).toEqual({ key, status: 200, ids: [second] });
    }
    // A dotted key is one key, not a path into nested metadata.
    expect((await call("POST", `/threads/${threadId}/history`, { metadata: { a: { b: "dotted" } } })).body).toEqual([]);
  });

  it("is [] for a thread without checkpoints", async () => {
    const bare = await stack.sdk.threads.create();
    expect(await stack.sdk.threads.getHistory(bare.thread_id)).toEqual([]);
    const withGraph = await stack.sdk.threads.create({ graphId: "notes" });
    expect(await stack.sdk.threads.getHistory(withGraph.thread_id)).toEqual([]);
    expect((await call("GET", `/threads/${withGraph.thread_id}/history`)).body).toEqual([]);
  });

  it("refuses a bad limit (422)", async () => {
    const bare = await stack.sdk.threads.create();
    expect(await call("POST", `/threads/${bare.thread_id}/history`, { limit: 0 })).toMatchObject({ status: 422, body: { param: "limit" } });
    expect(await call("GET", `/threads/${bare.thread_id}/history?limit=many`)).toMatchObject({ status: 422, body: { param: "limit" } });
  });
});

describe("missing threads", () => {
  it("answer 404 `Thread with ID <tid> not found` on every state route", async () => {
    const routes: Route[] = [
      ["GET", `/threads/${MISSING}/state`],
      ["GET", `/threads/${MISSING}/state?subgraphs=true`],
      ["POST", `/threads/${MISSING}/state`, { values: {} }],
      ["PATCH", `/threads/${MISSING}/state`, { metadata: {} }],
      ["GET", `/threads/${MISSING}/state/${MISSING}`],
      ["POST", `/threads/${MISSING}/state/checkpoint`, { checkpoint: {} }],
      ["GET", `/threads/${MISSING}/history`],
      ["POST", `/threads/${MISSING}/history`, {}],
    ];
    await expectNotFoundOnEach(stack.url, routes, `Thread with ID ${MISSING} not found`);
  });
});
