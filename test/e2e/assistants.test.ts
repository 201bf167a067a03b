// The Assistants API (spec §3.3, §4.5, §2.3, §6) with the official JS SDK over HTTP; raw
// fetch only where the SDK hides what is asserted (status codes, headers, error bodies).
import { randomUUID } from "node:crypto";
import type { Assistant } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller, MISSING_ID as MISSING } from "../helpers/http.ts";
import { startStack, type Stack } from "../helpers/stack.ts";

const AGENT_ASSISTANT_ID = "fe096781-5601-53d2-b2f6-0d3403f7e9ca"; // uuidv5("agent"), spec §2.3
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

/** A raw call to this file's API (the SDK hides status codes and headers). */
const call = apiCaller(() => stack.url);

/** The SDK's error for a non-2xx answer is `HTTP <status>: <body>`; the body is our JSON error. */
async function sdkError(promise: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const err = (await promise.then(
    () => expect.unreachable("the call should have failed"),
    (e: unknown) => e,
  )) as Error & { status: number };
  const match = /^HTTP (\d+): (.*)$/s.exec(err.message);
  expect(match, err.message).not.toBeNull();
  return { status: err.status, body: JSON.parse(match![2]!) };
}

/** A marker no other test's assistants carry, so that searches see only this test's. */
const tag = () => ({ suite: randomUUID() });

describe("create and get", () => {
  it("creates with defaults, and reads it back by id", async () => {
    const created = await stack.sdk.assistants.create({ graphId: "agent" });
    expect(created).toEqual({
      assistant_id: expect.stringMatching(UUID),
      graph_id: "agent",
      name: "Untitled",
      description: null,
      config: {},
      context: {},
      metadata: {},
      version: 1,
      created_at: expect.stringMatching(TIMESTAMP),
      updated_at: created.created_at,
    });
    expect(await stack.sdk.assistants.get(created.assistant_id)).toEqual(created);
  });

  it("keeps every field it is given", async () => {
    const assistantId = randomUUID();
    const fields = {
      config: { tags: ["a"], recursion_limit: 7, configurable: { model: "m1" } },
      context: { user: "ann" },
      metadata: { team: "blue", nested: { level: 2 } },
      name: "Weather bot",
      description: "Answers about the weather",
    };
    const created = await stack.sdk.assistants.create({ graphId: "agent", assistantId, ...fields });
    expect(created).toMatchObject({ assistant_id: assistantId, graph_id: "agent", version: 1, ...fields });
    expect(await stack.sdk.assistants.get(assistantId)).toEqual(created);
  });

  it("refuses a taken id with 409, or returns the existing assistant with if_exists=do_nothing", async () => {
    const assistantId = randomUUID();
    const first = await stack.sdk.assistants.create({ graphId: "agent", assistantId, name: "first" });

    const raised = await sdkError(stack.sdk.assistants.create({ graphId: "agent", assistantId, name: "second" }));
    expect(raised).toEqual({ status: 409, body: { detail: "Assistant already exists", code: "conflict" } });
    const explicit = await call("POST", "/assistants", { graph_id: "agent", assistant_id: assistantId, if_exists: "raise" });
    expect(explicit.status).toBe(409);

    const kept = await stack.sdk.assistants.create({ graphId: "factory", assistantId, name: "second", ifExists: "do_nothing" });
    expect(kept).toEqual(first);
    expect(await stack.sdk.assistants.getVersions(assistantId)).toHaveLength(1);
  });

  it("answers 404 for an unknown graph and 422 naming the field for a bad body", async () => {
    expect(await sdkError(stack.sdk.assistants.create({ graphId: "nope" }))).toMatchObject({
      status: 404,
      body: { detail: 'Graph "nope" not found' },
    });
    const cases: Array<[unknown, string]> = [
      [{}, "graph_id"],
      [{ graph_id: "agent", assistant_id: "not-a-uuid" }, "assistant_id"],
      [{ graph_id: "agent", if_exists: "replace" }, "if_exists"],
      [{ graph_id: "agent", metadata: "x" }, "metadata"],
      [{ graph_id: "agent", config: { recursion_limit: "many" } }, "config.recursion_limit"],
    ];
    for (const [body, param] of cases) {
      const answer = await call("POST", "/assistants", body);
      expect({ status: answer.status, param: answer.body.param }).toEqual({ status: 422, param });
      expect(answer.body.detail).toMatch(new RegExp(`^${param.replace(".", "\\.")}: `));
      expect(answer.headers.get("content-type")).toContain("application/json");
    }
  });

  it("serves the system assistant of a graph under its uuidv5 id and under the graph id", async () => {
    const system = await stack.sdk.assistants.get("agent");
    expect(system).toMatchObject({
      assistant_id: AGENT_ASSISTANT_ID,
      graph_id: "agent",
      name: "agent",
      metadata: { created_by: "system" },
      version: 1,
    });
    expect(await stack.sdk.assistants.get(AGENT_ASSISTANT_ID)).toEqual(system);
  });

  it("answers 404 Assistant not found for an unknown uuid or name", async () => {
    for (const id of [MISSING, "no-such-graph"]) {
      expect(await sdkError(stack.sdk.assistants.get(id))).toEqual({ status: 404, body: { detail: "Assistant not found", code: "not_found" } });
    }
  });
});

describe("search and count", () => {
  /** Four assistants with one fresh marker, created in this order. */
  async function fixtures() {
    const marker = tag();
    const prefix = randomUUID().slice(0, 8);
    const make = (graphId: string, name: string, metadata: Record<string, unknown>) =>
      stack.sdk.assistants.create({ graphId, name: `${prefix} ${name}`, metadata: { ...marker, ...metadata } });
    const alpha = await make("agent", "alpha Weather", { color: "red", tags: ["x", "y"], owner: { team: "core", id: 1 } });
    const beta = await make("agent", "beta helper", { color: "blue" });
    const gamma = await make("factory", "gamma weather", { color: "red" });
    const delta = await make("factory", "delta", { color: "green", owner: { team: "edge", id: 2 } });
    return { marker, prefix, alpha, beta, gamma, delta };
  }
  const ids = (items: Array<Partial<Assistant>>) => items.map((a) => a.assistant_id);

  it("filters by metadata containment, graph id and case-insensitive name substring", async () => {
    const { marker, prefix, alpha, beta, gamma, delta } = await fixtures();
    const search = (query: Parameters<typeof stack.sdk.assistants.search>[0]) => stack.sdk.assistants.search(query);

    // Newest first by default.
    expect(ids(await search({ metadata: marker }))).toEqual(ids([delta, gamma, beta, alpha]));
    expect(ids(await search({ metadata: { ...marker, color: "red" } }))).toEqual(ids([gamma, alpha]));
    // Containment reaches into nested objects and arrays, as jsonb @> does.
    expect(ids(await search({ metadata: { ...marker, owner: { team: "core" } } }))).toEqual(ids([alpha]));
    expect(ids(await search({ metadata: { ...marker, tags: ["y"] } }))).toEqual(ids([alpha]));
    expect(await search({ metadata: { ...marker, color: "purple" } })).toEqual([]);

    expect(ids(await search({ metadata: marker, graphId: "factory" }))).toEqual(ids([delta, gamma]));
    expect(ids(await search({ name: `${prefix} ALPHA` }))).toEqual(ids([alpha]));
    expect(ids(await search({ name: prefix, metadata: { color: "red" } }))).toEqual(ids([gamma, alpha]));
    expect(ids(await search({ name: "WEATHER", metadata: marker }))).toEqual(ids([gamma, alpha]));
    // LIKE wildcards in the name match only themselves.
    expect(await search({ name: `${prefix}%`, metadata: marker })).toEqual([]);
    expect(await search({ name: "_", metadata: marker })).toEqual([]);

    // The system assistants are found like any other.
    const system = await search({ graphId: "agent", metadata: { created_by: "system" } });
    expect(ids(system)).toEqual([AGENT_ASSISTANT_ID]);
  });

  it("pages with limit and offset, and tells the total and the next offset in headers", async () => {
    const { marker, alpha, beta, gamma, delta } = await fixtures();
    const page = (limit: number, offset: number) => call("POST", "/assistants/search", { metadata: marker, limit, offset });

    const first = await page(3, 0);
    expect(ids(first.body)).toEqual(ids([delta, gamma, beta]));
    expect(first.headers.get("x-pagination-total")).toBe("4");
    expect(first.headers.get("x-pagination-next")).toBe("3");

    const last = await page(3, 3);
    expect(ids(last.body)).toEqual(ids([alpha]));
    expect(last.headers.get("x-pagination-total")).toBe("4");
    expect(last.headers.get("x-pagination-next")).toBeNull();

    // A full page that ends exactly at the total has no next page either.
    const exact = await page(2, 2);
    expect(ids(exact.body)).toEqual(ids([beta, alpha]));
    expect(exact.headers.get("x-pagination-next")).toBeNull();

    const beyond = await page(10, 10);
    expect(beyond.body).toEqual([]);
    expect(beyond.headers.get("x-pagination-total")).toBe("4");

    // The SDK reads the next offset from the header.
    const paged = await stack.sdk.assistants.search({ metadata: marker, limit: 1, includePagination: true });
    expect({ ids: ids(paged.assistants), next: paged.next }).toEqual({ ids: ids([delta]), next: "1" });

    // Paging without a metadata filter (paged in SQL) agrees with the total of count.
    const all = await call("POST", "/assistants/search", { limit: 2, offset: 1 });
    expect(all.body).toHaveLength(2);
    expect(all.headers.get("x-pagination-total")).toBe(String(await stack.sdk.assistants.count()));

    // Default limit is 10.
    const many = await call("POST", "/assistants/search", {});
    expect(many.body.length).toBeLessThanOrEqual(10);
  });

  it("sorts by the requested field and order, and selects fields", async () => {
    const { marker, alpha, beta, gamma, delta } = await fixtures();
    const sorted = (sortBy: "name" | "created_at" | "graph_id" | "assistant_id" | "updated_at", sortOrder: "asc" | "desc") =>
      stack.sdk.assistants.search({ metadata: marker, sortBy, sortOrder }).then(ids);

    expect(await sorted("created_at", "asc")).toEqual(ids([alpha, beta, gamma, delta]));
    expect(await sorted("created_at", "desc")).toEqual(ids([delta, gamma, beta, alpha]));
    expect(await sorted("name", "asc")).toEqual(ids([alpha, beta, delta, gamma]));
    expect(await sorted("name", "desc")).toEqual(ids([gamma, delta, beta, alpha]));
    expect(await sorted("graph_id", "asc")).toEqual(ids([alpha, beta, gamma, delta]));
    const byId = [alpha, beta, gamma, delta].map((a) => a.assistant_id).sort();
    expect(await sorted("assistant_id", "asc")).toEqual(byId);
    expect(await sorted("assistant_id", "desc")).toEqual([...byId].reverse());

    // A change moves an assistant to the front of updated_at desc.
    await stack.sdk.assistants.update(beta.assistant_id, { metadata: { touched: true } });
    expect((await sorted("updated_at", "desc"))[0]).toBe(beta.assistant_id);

    const selected = await stack.sdk.assistants.search({ metadata: marker, select: ["assistant_id", "name"], sortOrder: "asc", sortBy: "created_at" });
    expect(selected[0]).toEqual({ assistant_id: alpha.assistant_id, name: alpha.name });
  });

  it("counts with the same filters and answers a bare integer", async () => {
    const { marker, prefix } = await fixtures();
    const raw = await call("POST", "/assistants/count", { metadata: marker });
    expect({ status: raw.status, text: raw.text, type: raw.headers.get("content-type") }).toEqual({
      status: 200,
      text: "4",
      type: expect.stringContaining("application/json"),
    });
    expect(await stack.sdk.assistants.count({ metadata: { ...marker, color: "red" } })).toBe(2);
    expect(await stack.sdk.assistants.count({ metadata: marker, graphId: "agent" })).toBe(2);
    expect(await stack.sdk.assistants.count({ name: `${prefix} BETA` })).toBe(1);
    expect(await stack.sdk.assistants.count({ metadata: { ...marker, color: "purple" } })).toBe(0);
    expect(await stack.sdk.assistants.count()).toBeGreaterThanOrEqual(4);
    expect((await call("POST", "/assistants/count")).status).toBe(200); // no body at all is {}
  });

  it("refuses bad search parameters with 422 naming the field", async () => {
    const cases: Array<[unknown, string]> = [
      [{ limit: 0 }, "limit"],
      [{ limit: 1001 }, "limit"],
      [{ offset: -1 }, "offset"],
      [{ sort_by: "color" }, "sort_by"],
      [{ sort_order: "up" }, "sort_order"],
      [{ select: ["assistant_id", "password"] }, "select.1"],
      [{ metadata: [1] }, "metadata"],
    ];
    for (const [body, param] of cases) {
      const answer = await call("POST", "/assistants/search", body);
      expect({ body, status: answer.status, param: answer.body.param }).toEqual({ body, status: 422, param });
    }
    expect((await call("POST", "/assistants/search", { limit: 1000 })).status).toBe(200);
    expect((await call("POST", "/assistants/count", { metadata: "x" })).status).toBe(422);
  });
});

describe("update, versions and latest", () => {
  it("writes version n+1 with merged metadata and makes it the latest", async () => {
    const created = await stack.sdk.assistants.create({
      graphId: "agent",
      name: "v1",
      description: "first",
      config: { configurable: { model: "a" } },
      context: { user: "ann" },
      metadata: { keep: 1, change: "old" },
    });
    const updated = await stack.sdk.assistants.update(created.assistant_id, {
      name: "v2",
      config: { configurable: { temperature: 0 } },
      metadata: { change: "new", added: true },
    });
    expect(updated).toEqual({
      ...created,
      name: "v2",
      config: { configurable: { temperature: 0 } }, // replaced, not merged
      metadata: { keep: 1, change: "new", added: true }, // merged
      version: 2,
      updated_at: expect.stringMatching(TIMESTAMP),
    });
    expect(updated.updated_at >= created.updated_at).toBe(true);
    expect(await stack.sdk.assistants.get(created.assistant_id)).toEqual(updated);

    // An empty update is a new version too; graph, context and description can change.
    const third = await stack.sdk.assistants.update(created.assistant_id, {});
    expect(third).toMatchObject({ version: 3, name: "v2", metadata: updated.metadata });
    const fourth = await stack.sdk.assistants.update(created.assistant_id, { graphId: "factory", context: { user: "bob" }, description: "fourth" });
    expect(fourth).toMatchObject({ version: 4, graph_id: "factory", context: { user: "bob" }, description: "fourth", created_at: created.created_at });
    // An explicit null clears the description.
    expect((await call("PATCH", `/assistants/${created.assistant_id}`, { description: null })).body).toMatchObject({ version: 5, description: null });
    expect((await call("PATCH", `/assistants/${created.assistant_id}`, { description: "" })).body).toMatchObject({ version: 6, description: "" });
  });

  it("answers 404 for an unknown assistant or graph, and 422 for a bad body", async () => {
    expect(await sdkError(stack.sdk.assistants.update(MISSING, { name: "x" }))).toMatchObject({ status: 404, body: { detail: "Assistant not found" } });
    const created = await stack.sdk.assistants.create({ graphId: "agent" });
    expect(await sdkError(stack.sdk.assistants.update(created.assistant_id, { graphId: "nope" }))).toMatchObject({
      status: 404,
      body: { detail: 'Graph "nope" not found' },
    });
    const bad = await call("PATCH", `/assistants/${created.assistant_id}`, { metadata: 5 });
    expect({ status: bad.status, param: bad.body.param }).toEqual({ status: 422, param: "metadata" });
    // Nothing was written by the refused updates.
    expect((await stack.sdk.assistants.get(created.assistant_id)).version).toBe(1);
  });

  it("updates a system assistant through its graph id", async () => {
    const updated = await stack.sdk.assistants.update("uncompiled", { metadata: { note: "patched" } });
    expect(updated).toMatchObject({ graph_id: "uncompiled", name: "uncompiled", version: 2, metadata: { created_by: "system", note: "patched" } });
    expect(await stack.sdk.assistants.get("uncompiled")).toEqual(updated);
  });

  it("lists versions newest first, with limit, offset and a metadata filter", async () => {
    const created = await stack.sdk.assistants.create({ graphId: "agent", name: "n1", metadata: { stage: "draft" } });
    await stack.sdk.assistants.update(created.assistant_id, { name: "n2", config: { configurable: { foo: "bar" } } });
    await stack.sdk.assistants.update(created.assistant_id, { name: "n3", metadata: { stage: "final" } });

    const versions = await stack.sdk.assistants.getVersions(created.assistant_id);
    expect(versions.map((v) => [v.version, v.name, v.metadata?.stage])).toEqual([
      [3, "n3", "final"],
      [2, "n2", "draft"],
      [1, "n1", "draft"],
    ]);
    expect(versions[1]).toEqual({
      assistant_id: created.assistant_id,
      graph_id: "agent",
      name: "n2",
      description: null,
      config: { configurable: { foo: "bar" } },
      context: {},
      metadata: { stage: "draft" },
      version: 2,
      created_at: expect.stringMatching(TIMESTAMP),
    });
    expect(versions[2]!.created_at).toBe(created.created_at);

    const v = (promise: Promise<Array<{ version: number }>>) => promise.then((list) => list.map((x) => x.version));
    expect(await v(stack.sdk.assistants.getVersions(created.assistant_id, { limit: 1 }))).toEqual([3]);
    expect(await v(stack.sdk.assistants.getVersions(created.assistant_id, { offset: 1 }))).toEqual([2, 1]);
    expect(await v(stack.sdk.assistants.getVersions(created.assistant_id, { limit: 1, offset: 1 }))).toEqual([2]);
    expect(await v(stack.sdk.assistants.getVersions(created.assistant_id, { metadata: { stage: "draft" } }))).toEqual([2, 1]);
    expect(await v(stack.sdk.assistants.getVersions(created.assistant_id, { metadata: { stage: "draft" }, offset: 1 }))).toEqual([1]);
    // By graph id: the system assistant's versions.
    expect(await v(stack.sdk.assistants.getVersions("agent"))).toEqual([1]);

    expect(await sdkError(stack.sdk.assistants.getVersions(MISSING))).toMatchObject({ status: 404, body: { detail: "Assistant not found" } });
    expect((await sdkError(stack.sdk.assistants.getVersions(created.assistant_id, { metadata: { stage: "gone" } }))).status).toBe(404);
    expect((await call("POST", `/assistants/${created.assistant_id}/versions`, { limit: 0 })).status).toBe(422);
  });

  it("sets an older version as the latest, and numbers the next change after the highest", async () => {
    const created = await stack.sdk.assistants.create({ graphId: "agent", name: "one", metadata: { n: 1 }, context: { c: 1 } });
    const second = await stack.sdk.assistants.update(created.assistant_id, { name: "two", metadata: { n: 2 }, context: { c: 2 }, graphId: "factory" });
    expect(second.version).toBe(2);

    const restored = await stack.sdk.assistants.setLatest(created.assistant_id, 1);
    expect(restored).toEqual({ ...created, updated_at: expect.stringMatching(TIMESTAMP) });
    expect(await stack.sdk.assistants.get(created.assistant_id)).toEqual(restored);
    // The versions themselves are unchanged.
    expect((await stack.sdk.assistants.getVersions(created.assistant_id)).map((v) => v.version)).toEqual([2, 1]);

    const third = await stack.sdk.assistants.update(created.assistant_id, { metadata: { extra: true } });
    expect(third).toMatchObject({ version: 3, name: "one", graph_id: "agent", metadata: { n: 1, extra: true } });

    expect(await sdkError(stack.sdk.assistants.setLatest(created.assistant_id, 9))).toMatchObject({
      status: 404,
      body: { detail: "Assistant version 9 not found" },
    });
    expect(await sdkError(stack.sdk.assistants.setLatest(MISSING, 1))).toMatchObject({ status: 404, body: { detail: "Assistant not found" } });
    const missingVersion = await call("POST", `/assistants/${created.assistant_id}/latest`, {});
    expect({ status: missingVersion.status, param: missingVersion.body.param }).toEqual({ status: 422, param: "version" });
    expect((await call("POST", `/assistants/${created.assistant_id}/latest`, { version: 0 })).status).toBe(422);
  });
});

describe("delete", () => {
  it("answers 204, and the assistant and all its versions are gone", async () => {
    const created = await stack.sdk.assistants.create({ graphId: "agent" });
    await stack.sdk.assistants.update(created.assistant_id, { name: "renamed" });

    const answer = await call("DELETE", `/assistants/${created.assistant_id}`);
    expect({ status: answer.status, text: answer.text }).toEqual({ status: 204, text: "" });

    expect(await sdkError(stack.sdk.assistants.get(created.assistant_id))).toMatchObject({ status: 404, body: { detail: "Assistant not found" } });
    expect((await sdkError(stack.sdk.assistants.getVersions(created.assistant_id))).status).toBe(404);
    expect(await sdkError(stack.sdk.assistants.delete(created.assistant_id))).toMatchObject({ status: 404, body: { detail: "Assistant not found" } });
    expect((await call("DELETE", `/assistants/${created.assistant_id}?delete_threads=maybe`)).status).toBe(422);

    // The id can be taken again, starting over at version 1.
    const again = await stack.sdk.assistants.create({ graphId: "agent", assistantId: created.assistant_id });
    expect(again.version).toBe(1);
  });

  it("deletes the assistant's runs, and with delete_threads its threads and their state", async () => {
    // 1. two assistants on the factory graph, each with a finished run on its own thread
    const keepThreads = await stack.sdk.assistants.create({ graphId: "factory", config: { configurable: { name: "keep" } } });
    const dropThreads = await stack.sdk.assistants.create({ graphId: "factory", config: { configurable: { name: "drop" } } });
    const bystander = await stack.sdk.threads.create({ metadata: { assistant_id: "someone-else" } });
    const runOn = async (assistantId: string) => {
      const thread = await stack.sdk.threads.create();
      const run = await stack.sdk.runs.create(thread.thread_id, assistantId, { input: {} });
      await stack.sdk.runs.join(thread.thread_id, run.run_id);
      return { threadId: thread.thread_id, runId: run.run_id };
    };
    const kept = await runOn(keepThreads.assistant_id);
    const dropped = await runOn(dropThreads.assistant_id);
    expect((await stack.sdk.threads.get(dropped.threadId)).metadata).toMatchObject({ assistant_id: dropThreads.assistant_id });
    expect((await stack.sdk.threads.getState(dropped.threadId)).values).toEqual({ greeting: "hello drop" });

    // 2. without delete_threads: the runs go, the thread and its state stay
    await stack.sdk.assistants.delete(keepThreads.assistant_id);
    expect((await sdkError(stack.sdk.runs.get(kept.threadId, kept.runId))).status).toBe(404);
    expect(await stack.sdk.runs.list(kept.threadId)).toEqual([]);
    expect((await stack.sdk.threads.getState(kept.threadId)).values).toEqual({ greeting: "hello keep" });

    // 3. with delete_threads: the thread goes too, with its checkpoints
    await stack.sdk.assistants.delete(dropThreads.assistant_id, { deleteThreads: true });
    expect((await sdkError(stack.sdk.threads.get(dropped.threadId))).status).toBe(404);
    const reborn = await stack.sdk.threads.create({ threadId: dropped.threadId });
    expect((await stack.sdk.threads.getState(reborn.thread_id)).values).toEqual({});

    // 4. threads of other assistants are untouched
    expect((await stack.sdk.threads.get(bystander.thread_id)).thread_id).toBe(bystander.thread_id);
    expect((await stack.sdk.threads.get(kept.threadId)).thread_id).toBe(kept.threadId);
  });

  it("refuses with 409 while a run of the assistant is in progress", async () => {
    const assistant = await stack.sdk.assistants.create({ graphId: "slow" });
    const thread = await stack.sdk.threads.create();
    const run = await stack.sdk.runs.create(thread.thread_id, assistant.assistant_id, { input: {} });

    const refused = await sdkError(stack.sdk.assistants.delete(assistant.assistant_id));
    expect(refused).toMatchObject({ status: 409, body: { code: "conflict" } });
    expect(refused.body.detail).toMatch(new RegExp(`^Run ${run.run_id} of assistant ${assistant.assistant_id} is (pending|running); cancel it first$`));
    expect((await stack.sdk.assistants.get(assistant.assistant_id)).assistant_id).toBe(assistant.assistant_id);

    await stack.sdk.runs.join(thread.thread_id, run.run_id);
    await stack.sdk.assistants.delete(assistant.assistant_id);
    expect((await sdkError(stack.sdk.assistants.get(assistant.assistant_id))).status).toBe(404);
  });
});

describe("graph, schemas and subgraphs", () => {
  const nodeIds = (graph: { nodes: Array<{ id: string | number }> }) => graph.nodes.map((n) => n.id);

  it("draws the graph's nodes and edges", async () => {
    const graph = await stack.sdk.assistants.getGraph("agent");
    expect(graph.nodes).toEqual([
      expect.objectContaining({ id: "__start__", type: "schema" }),
      expect.objectContaining({ id: "agent", type: "runnable", data: expect.objectContaining({ name: "agent" }) }),
      expect.objectContaining({ id: "tools", type: "runnable", metadata: { __tools: ["search"] } }),
      expect.objectContaining({ id: "__end__", type: "schema" }),
    ]);
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { source: "__start__", target: "agent", conditional: false },
        { source: "agent", target: "tools", conditional: true },
        { source: "agent", target: "__end__", conditional: true },
        { source: "tools", target: "agent", conditional: false },
      ]),
    );
    // The same for the system assistant's uuid; a factory graph is drawn from the assistant's config.
    expect(await stack.sdk.assistants.getGraph(AGENT_ASSISTANT_ID)).toEqual(graph);
    const factory = await stack.sdk.assistants.create({ graphId: "factory", config: { configurable: { name: "x" } } });
    expect(nodeIds(await stack.sdk.assistants.getGraph(factory.assistant_id))).toEqual(["__start__", "greet", "__end__"]);
  });

  it("expands subgraphs with xray, to the depth asked", async () => {
    const flat = await stack.sdk.assistants.getGraph("nested");
    expect(nodeIds(flat)).toEqual(["__start__", "prepare", "child", "__end__"]);
    expect(await stack.sdk.assistants.getGraph("nested", { xray: false })).toEqual(flat);

    const full = await stack.sdk.assistants.getGraph("nested", { xray: true });
    expect(nodeIds(full)).toEqual(["__start__", "prepare", "child:c1", "child:grandchild:g1", "child:grandchild:g2", "__end__"]);
    expect(full.edges).toEqual(expect.arrayContaining([{ source: "child:grandchild:g1", target: "child:grandchild:g2", conditional: false }]));

    const oneLevel = await stack.sdk.assistants.getGraph("nested", { xray: 1 });
    expect(nodeIds(oneLevel)).toEqual(["__start__", "prepare", "child:c1", "child:grandchild", "__end__"]);
    expect(await stack.sdk.assistants.getGraph("nested", { xray: 2 })).toEqual(full);
    expect((await call("GET", "/assistants/nested/graph?xray=0")).body).toEqual(flat);

    const bad = await call("GET", "/assistants/nested/graph?xray=deep");
    expect({ status: bad.status, param: bad.body.param }).toEqual({ status: 422, param: "xray" });
    expect((await call("GET", `/assistants/${MISSING}/graph`)).body).toEqual({ detail: "Assistant not found", code: "not_found" });
  });

  it("reports JSON schemas: real ones from zod, channel names from Annotation, null where unknown", async () => {
    const nested = await stack.sdk.assistants.getSchemas("nested");
    const topic = { type: "string", description: "What the run is about" };
    const properties = { topic, log: { type: "array", items: { type: "string" } } };
    expect(nested).toEqual({
      graph_id: "nested",
      input_schema: expect.objectContaining({ type: "object", properties, $schema: "http://json-schema.org/draft-07/schema#" }),
      output_schema: expect.objectContaining({ type: "object", properties, required: ["topic"] }),
      state_schema: expect.objectContaining({ type: "object", properties }),
      config_schema: expect.objectContaining({ type: "object", properties: { model: { type: "string" } } }),
      context_schema: expect.objectContaining({ type: "object", properties: { model: { type: "string" } } }),
    });
    // Input and state are partial (the state's is an update's, as on the JS server): nothing is required.
    expect(nested.input_schema).not.toHaveProperty("required");
    expect(nested.state_schema).not.toHaveProperty("required");

    const agent = await stack.sdk.assistants.getSchemas(AGENT_ASSISTANT_ID);
    const messages = { type: "object", properties: { messages: {} }, $schema: "http://json-schema.org/draft-07/schema#" };
    expect(agent).toEqual({
      graph_id: "agent",
      input_schema: messages,
      output_schema: messages,
      state_schema: messages,
      config_schema: null,
      context_schema: null,
    });
    expect((await sdkError(stack.sdk.assistants.getSchemas(MISSING))).status).toBe(404);
  });

  it("lists subgraphs with their schemas, by namespace and recursively", async () => {
    const log = { type: "object", properties: { log: {} }, $schema: "http://json-schema.org/draft-07/schema#" };
    const logSchemas = { input_schema: log, output_schema: log, state_schema: log, config_schema: null, context_schema: null };

    expect(await stack.sdk.assistants.getSubgraphs("nested")).toEqual({ child: logSchemas });
    expect(await stack.sdk.assistants.getSubgraphs("nested", { recurse: true })).toEqual({ child: logSchemas, "child|grandchild": logSchemas });
    expect(await stack.sdk.assistants.getSubgraphs("nested", { namespace: "child" })).toEqual({ child: logSchemas });
    expect(await stack.sdk.assistants.getSubgraphs("nested", { namespace: "child|grandchild", recurse: true })).toEqual({
      "child|grandchild": logSchemas,
    });
    // A nested namespace needs recurse; an unknown one, or a graph without subgraphs, has none.
    expect(await stack.sdk.assistants.getSubgraphs("nested", { namespace: "child|grandchild" })).toEqual({});
    expect(await stack.sdk.assistants.getSubgraphs("nested", { namespace: "nowhere", recurse: true })).toEqual({});
    expect(await stack.sdk.assistants.getSubgraphs("agent", { recurse: true })).toEqual({});

    expect((await call("GET", "/assistants/nested/subgraphs?recurse=perhaps")).status).toBe(422);
    expect((await call("GET", `/assistants/${MISSING}/subgraphs/child`)).body).toEqual({ detail: "Assistant not found", code: "not_found" });
  });
});
