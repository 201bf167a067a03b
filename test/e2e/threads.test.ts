// Threads over HTTP with the official JS SDK (spec §3.4, §4.1, §4.7): create, search, count,
// get, patch, delete, copy and prune, as a user of `client.threads.*` sees them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Thread } from "@langchain/langgraph-sdk";
import { apiCaller, expectNotFoundOnEach, MISSING_ID as MISSING, type Route } from "../helpers/http.ts";
import { startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

/** A raw call to this file's API (the SDK hides status codes and headers). */
const call = apiCaller(() => stack.url);

/** Checkpoint ids of the thread, newest first. */
async function checkpointIds(threadId: string): Promise<string[]> {
  const history = await stack.sdk.threads.getHistory(threadId, { limit: 100 });
  return history.map((state) => state.checkpoint.checkpoint_id!);
}

/** A thread of the notes graph with two checkpoints made by supersteps. */
function notesThread(metadata: Record<string, unknown> = {}) {
  return stack.sdk.threads.create({
    graphId: "notes",
    metadata,
    supersteps: [
      { updates: [{ values: { notes: ["one"] }, asNode: "write" }] },
      { updates: [{ values: { notes: ["two"] }, asNode: "write" }] },
    ],
  });
}

describe("POST /threads", () => {
  it("creates an idle thread with the caller's id and metadata; graphId lands in metadata", async () => {
    const threadId = crypto.randomUUID();
    const thread = await stack.sdk.threads.create({ threadId, metadata: { owner: "ana" }, graphId: "notes" });
    expect(thread).toMatchObject({
      thread_id: threadId,
      status: "idle",
      metadata: { owner: "ana", graph_id: "notes" },
      config: {},
      values: null,
      interrupts: {},
    });
    expect(thread.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(thread.updated_at).toBe(thread.created_at);
    expect(await stack.sdk.threads.get(threadId)).toEqual(thread);
  });

  it("mints a uuid7 id when none is given", async () => {
    const thread = await stack.sdk.threads.create();
    expect(thread.thread_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(thread.metadata).toEqual({});
  });

  it("refuses a taken id with 409, or returns the existing thread unchanged with if_exists=do_nothing", async () => {
    const first = await stack.sdk.threads.create({ metadata: { version: 1 } });
    const conflict = await call("POST", "/threads", { thread_id: first.thread_id, metadata: { version: 2 } });
    expect(conflict).toMatchObject({ status: 409, body: { detail: "Thread already exists" } });
    const again = await stack.sdk.threads.create({ threadId: first.thread_id, metadata: { version: 2 }, ifExists: "do_nothing" });
    expect(again).toEqual(first);
  });

  it("stores the ttl, given as minutes or in full", async () => {
    const short = await stack.sdk.threads.create({ ttl: 30 });
    expect(await stack.core.storage.threads.ttl(short.thread_id)).toEqual({ ttl: 30, strategy: "delete" });
    const full = await call("POST", "/threads", { ttl: { ttl: 5, strategy: "delete" } });
    expect(await stack.core.storage.threads.ttl(full.body.thread_id)).toEqual({ ttl: 5, strategy: "delete" });
    const none = await stack.sdk.threads.create();
    expect(await stack.core.storage.threads.ttl(none.thread_id)).toBeNull();
  });

  it("applies supersteps in order, one checkpoint each, and shows their values", async () => {
    const thread = await notesThread();
    expect(thread.values).toEqual({ notes: ["one", "two"] });
    expect(thread.status).toBe("idle");
    const history = await stack.sdk.threads.getHistory(thread.thread_id);
    expect(history.map((s) => s.values)).toEqual([{ notes: ["one", "two"] }, { notes: ["one"] }]);
    expect(history[0]!.parent_checkpoint?.checkpoint_id).toBe(history[1]!.checkpoint.checkpoint_id);
    // Stamped as on the JS server: the first superstep's checkpoint names the graph, the later ones only the thread.
    expect(history[1]!.metadata).toMatchObject({ graph_id: "notes", thread_id: thread.thread_id });
    expect(history[0]!.metadata).toMatchObject({ source: "update", thread_id: thread.thread_id });
    expect(history[0]!.metadata).not.toHaveProperty("graph_id");
  });

  it("applies a command update in a superstep", async () => {
    const thread = await stack.sdk.threads.create({
      graphId: "notes",
      supersteps: [{ updates: [{ values: undefined, command: { update: { title: "from a command" } }, asNode: "write" }] }],
    });
    expect(thread.values).toEqual({ notes: [], title: "from a command" });
  });

  it("refuses supersteps without a graph id (400) or for an unknown node (400), and stores nothing", async () => {
    const threadId = crypto.randomUUID();
    const noGraph = await call("POST", "/threads", { thread_id: threadId, supersteps: [{ updates: [{ values: {}, as_node: "write" }] }] });
    expect(noGraph).toMatchObject({ status: 400, body: { detail: `Thread ${threadId} has no graph ID` } });
    const badNode = await call("POST", "/threads", {
      thread_id: threadId,
      metadata: { graph_id: "notes" },
      supersteps: [{ updates: [{ values: { notes: ["x"] }, as_node: "nowhere" }] }],
    });
    expect(badNode.status).toBe(400);
    expect(badNode.body.detail).toMatch(/nowhere/);
    expect((await call("GET", `/threads/${threadId}`)).status).toBe(404);
  });

  it("names the field of a malformed body (422)", async () => {
    const cases: Array<[unknown, string]> = [
      [{ thread_id: "not-a-uuid" }, "thread_id"],
      [{ if_exists: "overwrite" }, "if_exists"],
      [{ ttl: "soon" }, "ttl"],
      [{ supersteps: [{ updates: [{ values: {} }] }] }, "supersteps.0.updates.0.as_node"],
    ];
    for (const [body, param] of cases) {
      const response = await call("POST", "/threads", body);
      expect({ status: response.status, param: response.body.param }).toEqual({ status: 422, param });
    }
  });
});

describe("POST /threads/search and /threads/count", () => {
  // Threads made for this block only, told apart by a tag in their metadata.
  const tag = crypto.randomUUID();
  let made: Thread[];
  beforeAll(async () => {
    made = [];
    for (const [i, color] of ["red", "blue", "red", "green"].entries()) {
      made.push(await stack.sdk.threads.create({ metadata: { tag, color, index: i, labels: i % 2 ? ["odd"] : ["even"], nested: { i } } }));
    }
  });

  it("filters by metadata containment, newest first by default", async () => {
    const red = await stack.sdk.threads.search({ metadata: { tag, color: "red" } });
    expect(red.map((t) => t.thread_id)).toEqual([made[2]!.thread_id, made[0]!.thread_id]);
    const nested = await stack.sdk.threads.search({ metadata: { tag, nested: { i: 3 } } });
    expect(nested.map((t) => t.thread_id)).toEqual([made[3]!.thread_id]);
    const inArray = await stack.sdk.threads.search({ metadata: { tag, labels: ["odd"] } });
    expect(inArray.map((t) => t.thread_id)).toEqual([made[3]!.thread_id, made[1]!.thread_id]);
    expect(await stack.sdk.threads.search({ metadata: { tag, color: "purple" } })).toEqual([]);
  });

  it("filters by ids and status, and by values containment", async () => {
    const byIds = await stack.sdk.threads.search({ ids: [made[1]!.thread_id, made[3]!.thread_id], sortOrder: "asc" });
    expect(byIds.map((t) => t.thread_id)).toEqual([made[1]!.thread_id, made[3]!.thread_id]);
    const idle = await stack.sdk.threads.search({ metadata: { tag }, status: "idle", limit: 100 });
    expect(idle).toHaveLength(4);
    expect(await stack.sdk.threads.search({ metadata: { tag }, status: "busy" })).toEqual([]);

    const withValues = await notesThread({ tag: `${tag}-values` });
    const found = await stack.sdk.threads.search({ values: { notes: ["two"] }, metadata: { tag: `${tag}-values` } });
    expect(found.map((t) => t.thread_id)).toEqual([withValues.thread_id]);
    expect(await stack.sdk.threads.search({ values: { notes: ["three"] }, metadata: { tag: `${tag}-values` } })).toEqual([]);
  });

  it("sorts by each key in both orders", async () => {
    const ids = (threads: Thread[]) => threads.map((t) => t.thread_id);
    const asc = ids(made);
    const search = (sortBy: "thread_id" | "created_at" | "updated_at" | "state_updated_at" | "status", sortOrder: "asc" | "desc") =>
      stack.sdk.threads.search({ metadata: { tag }, sortBy, sortOrder }).then(ids);
    for (const key of ["thread_id", "created_at", "updated_at", "state_updated_at"] as const) {
      expect(await search(key, "asc"), key).toEqual(asc);
      expect(await search(key, "desc"), key).toEqual([...asc].reverse());
    }
    // Updating the first thread moves it to the end of an updated_at ordering.
    await stack.sdk.threads.update(made[0]!.thread_id, { metadata: { touched: true } });
    expect(await search("updated_at", "asc")).toEqual([...asc.slice(1), asc[0]]);
    expect(await search("created_at", "asc")).toEqual(asc);
    expect(await search("status", "asc")).toHaveLength(4);
  });

  it("pages with limit and offset and tells the total and the next offset in headers", async () => {
    const page = (offset: number) => call("POST", "/threads/search", { metadata: { tag }, limit: 3, offset, sort_order: "asc" });
    const first = await page(0);
    expect(first.body.map((t: Thread) => t.thread_id)).toEqual(made.slice(0, 3).map((t) => t.thread_id));
    expect(first.headers.get("x-pagination-total")).toBe("4");
    expect(first.headers.get("x-pagination-next")).toBe("3");
    const second = await page(3);
    expect(second.body.map((t: Thread) => t.thread_id)).toEqual([made[3]!.thread_id]);
    expect(second.headers.get("x-pagination-total")).toBe("4");
    expect(second.headers.get("x-pagination-next")).toBeNull();
    const sdkPage = await stack.sdk.threads.search({ metadata: { tag }, limit: 2, offset: 1, sortOrder: "asc" });
    expect(sdkPage.map((t) => t.thread_id)).toEqual(made.slice(1, 3).map((t) => t.thread_id));
  });

  it("returns only the selected fields", async () => {
    const [thread] = await stack.sdk.threads.search({ ids: [made[0]!.thread_id], select: ["thread_id", "status"] });
    expect(thread).toEqual({ thread_id: made[0]!.thread_id, status: "idle" });
  });

  it("counts with the same filters, as a bare integer", async () => {
    expect(await stack.sdk.threads.count({ metadata: { tag } })).toBe(4);
    expect(await stack.sdk.threads.count({ metadata: { tag, color: "red" } })).toBe(2);
    expect(await stack.sdk.threads.count({ metadata: { tag }, status: "busy" })).toBe(0);
    const raw = await fetch(`${stack.url}/threads/count`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ metadata: { tag } }) });
    expect(await raw.text()).toBe("4");
  });

  it("refuses bad sort keys, statuses and limits (422)", async () => {
    for (const [body, param] of [
      [{ sort_by: "name" }, "sort_by"],
      [{ sort_order: "up" }, "sort_order"],
      [{ status: "sleeping" }, "status"],
      [{ limit: 0 }, "limit"],
      [{ select: ["secret"] }, "select.0"],
    ] as const) {
      const response = await call("POST", "/threads/search", body);
      expect({ status: response.status, param: response.body.param }).toEqual({ status: 422, param });
    }
  });
});

describe("PATCH /threads/{tid}", () => {
  it("shallow-merges metadata, moves updated_at, keeps the status; return=minimal answers 204", async () => {
    const thread = await stack.sdk.threads.create({ metadata: { a: 1, nested: { x: 1 } } });
    const updated = await stack.sdk.threads.update(thread.thread_id, { metadata: { b: 2, nested: { y: 2 } } });
    expect(updated.metadata).toEqual({ a: 1, b: 2, nested: { y: 2 } });
    expect(updated.status).toBe("idle");
    expect(updated.updated_at > thread.updated_at).toBe(true);
    expect(updated.created_at).toBe(thread.created_at);

    const minimal = await call("PATCH", `/threads/${thread.thread_id}`, { metadata: { c: 3 } }, { prefer: "return=minimal" });
    expect(minimal).toMatchObject({ status: 204, body: undefined });
    expect(await stack.sdk.threads.update(thread.thread_id, { metadata: {}, returnMinimal: true })).toBeUndefined();
    expect((await stack.sdk.threads.get(thread.thread_id)).metadata).toEqual({ a: 1, b: 2, c: 3, nested: { y: 2 } });

    await stack.sdk.threads.update(thread.thread_id, { ttl: 60 });
    expect(await stack.core.storage.threads.ttl(thread.thread_id)).toEqual({ ttl: 60, strategy: "delete" });
  });
});

describe("DELETE /threads/{tid}", () => {
  it("deletes the thread, its runs and its checkpoints (204)", async () => {
    const thread = await stack.sdk.threads.create({ graphId: "notes" });
    const run = await stack.sdk.runs.create(thread.thread_id, "notes", { input: { notes: ["hi"] } });
    await stack.sdk.runs.join(thread.thread_id, run.run_id);
    expect(await checkpointIds(thread.thread_id)).not.toEqual([]);

    expect(await call("DELETE", `/threads/${thread.thread_id}`)).toMatchObject({ status: 204, body: undefined });
    expect(await call("GET", `/threads/${thread.thread_id}`)).toMatchObject({
      status: 404,
      body: { detail: `Thread with ID ${thread.thread_id} not found` },
    });
    expect(await stack.core.storage.runs.get(run.run_id)).toBeUndefined();
    // A new thread under the same id starts without history: the checkpoints went too.
    await stack.sdk.threads.create({ threadId: thread.thread_id, graphId: "notes" });
    expect(await checkpointIds(thread.thread_id)).toEqual([]);
  });

  it("cancels a run in flight first", async () => {
    const thread = await stack.sdk.threads.create();
    const run = await stack.sdk.runs.create(thread.thread_id, "slow", { input: {} });
    await expect.poll(async () => (await stack.sdk.runs.get(thread.thread_id, run.run_id)).status, { timeout: 20_000 }).toBe("running");

    await stack.sdk.threads.delete(thread.thread_id);
    expect((await call("GET", `/threads/${thread.thread_id}`)).status).toBe(404);
    expect((await call("GET", `/threads/${thread.thread_id}/runs/${run.run_id}`)).status).toBe(404);
    // The run's workflow is no longer running.
    const workflow = stack.api.client.workflow.getHandle(`thread-${thread.thread_id}`);
    await expect.poll(async () => (await workflow.describe()).status.name, { timeout: 10_000 }).not.toBe("RUNNING");
  });

  it("answers 404 for a missing thread", async () => {
    expect(await call("DELETE", `/threads/${MISSING}`)).toMatchObject({ status: 404, body: { detail: `Thread with ID ${MISSING} not found` } });
  });
});

describe("POST /threads/{tid}/copy", () => {
  it("makes a new thread with the same checkpoints (same ids) and no runs", async () => {
    const source = await stack.sdk.threads.create({ graphId: "notes", metadata: { owner: "ana" } });
    const run = await stack.sdk.runs.create(source.thread_id, "notes", { input: { notes: ["hi"] } });
    await stack.sdk.runs.join(source.thread_id, run.run_id);
    const sourceState = await stack.sdk.threads.getState(source.thread_id);
    expect(sourceState.next).toEqual(["approve"]);

    const copy = await stack.sdk.threads.copy(source.thread_id);
    expect(copy.thread_id).not.toBe(source.thread_id);
    expect(copy.thread_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(copy.status).toBe("idle");
    expect(copy.metadata).toEqual({ ...(await stack.sdk.threads.get(source.thread_id)).metadata, thread_id: copy.thread_id });
    expect(copy.values).toEqual(sourceState.values);

    const [sourceHistory, copyHistory] = await Promise.all([
      stack.sdk.threads.getHistory(source.thread_id, { limit: 100 }),
      stack.sdk.threads.getHistory(copy.thread_id, { limit: 100 }),
    ]);
    expect(copyHistory.map((s) => s.checkpoint.checkpoint_id)).toEqual(sourceHistory.map((s) => s.checkpoint.checkpoint_id));
    expect(copyHistory.map((s) => s.parent_checkpoint?.checkpoint_id)).toEqual(sourceHistory.map((s) => s.parent_checkpoint?.checkpoint_id));
    expect(copyHistory.map((s) => s.values)).toEqual(sourceHistory.map((s) => s.values));
    for (const state of copyHistory) {
      expect(state.checkpoint.thread_id).toBe(copy.thread_id);
      expect(state.parent_checkpoint?.thread_id ?? copy.thread_id).toBe(copy.thread_id);
      expect(state.metadata?.thread_id).toBe(copy.thread_id);
    }
    // The pending interrupt came along, so the copy can be resumed like the source.
    const copyState = await stack.sdk.threads.getState(copy.thread_id);
    expect(copyState.next).toEqual(["approve"]);
    expect(copyState.tasks[0]!.interrupts).toEqual(sourceState.tasks[0]!.interrupts);
    expect(await stack.sdk.runs.list(copy.thread_id)).toEqual([]);
    expect(await stack.sdk.runs.list(source.thread_id)).toHaveLength(1);
  });

  it("answers 404 for a missing source", async () => {
    expect(await call("POST", `/threads/${MISSING}/copy`)).toMatchObject({ status: 404, body: { detail: `Thread with ID ${MISSING} not found` } });
  });
});

describe("POST /threads/prune", () => {
  it("deletes the named threads, skipping unknown ids", async () => {
    const a = await notesThread();
    const b = await stack.sdk.threads.create();
    const kept = await stack.sdk.threads.create();
    expect(await stack.sdk.threads.prune([a.thread_id, b.thread_id, MISSING])).toEqual({ pruned_count: 2 });
    expect((await call("GET", `/threads/${a.thread_id}`)).status).toBe(404);
    expect((await call("GET", `/threads/${b.thread_id}`)).status).toBe(404);
    expect((await stack.sdk.threads.get(kept.thread_id)).thread_id).toBe(kept.thread_id);
  });

  it("keep_latest keeps each thread with only its latest checkpoint and state", async () => {
    const thread = await notesThread();
    const [latest] = await checkpointIds(thread.thread_id);
    expect(await stack.sdk.threads.prune([thread.thread_id], { strategy: "keep_latest" })).toEqual({ pruned_count: 1 });
    const history = await stack.sdk.threads.getHistory(thread.thread_id);
    expect(history.map((s) => s.checkpoint.checkpoint_id)).toEqual([latest]);
    expect(history[0]!.values).toEqual({ notes: ["one", "two"] });
    expect(history[0]!.parent_checkpoint).toBeNull();
    expect((await stack.sdk.threads.get(thread.thread_id)).values).toEqual({ notes: ["one", "two"] });
  });

  it("refuses a body without thread_ids or with an unknown strategy (422)", async () => {
    expect((await call("POST", "/threads/prune", {})).body).toMatchObject({ code: "validation_error", param: "thread_ids" });
    expect((await call("POST", "/threads/prune", { thread_ids: [], strategy: "all" })).body).toMatchObject({ param: "strategy" });
  });
});

describe("missing threads", () => {
  it("answer 404 `Thread with ID <tid> not found` on every thread route", async () => {
    const routes: Route[] = [
      ["GET", `/threads/${MISSING}`],
      ["PATCH", `/threads/${MISSING}`, { metadata: {} }],
      ["DELETE", `/threads/${MISSING}`],
      ["POST", `/threads/${MISSING}/copy`],
    ];
    await expectNotFoundOnEach(stack.url, routes, `Thread with ID ${MISSING} not found`);
  });
});
