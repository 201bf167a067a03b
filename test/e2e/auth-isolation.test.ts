// Custom auth (issue 13) with the example's JWT auth (examples/jwt-auth): two users over the
// official SDK never see or touch each other's threads, runs, assistants and crons (404 as for a
// missing resource) or store items (403: the example's namespaces begin with the user's id), each
// still does everything with its own; no token is 401; missing scopes are 403; the user reaches
// the graph, also of a cron's runs, and survives a worker SIGKILL mid-step.
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../examples/jwt-auth/src/jwt.ts";
import { callApi } from "../helpers/http.ts";
import { startCli, type CliProcess } from "../helpers/processes.ts";
import { FIXTURES, nodeExecutions, startStack, type Stack } from "../helpers/stack.ts";

const SECRET = "isolation-suite-secret";
const FULL_SCOPE = "threads:read threads:write assistants:read assistants:write crons:read crons:write store:read store:write";
/** A schedule that does not fire during the suite (midnight of January 1st). */
const YEARLY = "0 0 1 1 *";
const CONFIG = `${FIXTURES}langgraph-auth.json`;

let stack: Stack;
const workers: CliProcess[] = [];
const bearer = (sub: string, scope = FULL_SCOPE, secret = SECRET, exp?: number) => ({ authorization: `Bearer ${signToken({ sub, scope, exp }, secret)}` });
const sdkFor = (headers: Record<string, string>) => new Client({ apiUrl: stack.url, defaultHeaders: headers });
let alice: Client;
let bob: Client;

async function startWorkerProcess(): Promise<CliProcess> {
  const worker = startCli(["worker", "--config", CONFIG, "--data-dir", stack.dataDir], stack.env);
  workers.push(worker);
  await worker.waitFor(/worker polling/);
  return worker;
}

/** The status of a failed SDK call (the SDK throws an error carrying it). */
async function statusOf(call: Promise<unknown>): Promise<number | "ok"> {
  try {
    await call;
    return "ok";
  } catch (err) {
    return (err as { status?: number }).status ?? -1;
  }
}

beforeAll(async () => {
  stack = await startStack({
    inProcessWorker: false,
    configPath: CONFIG,
    env: { JWT_SECRET: SECRET, SLOW_NODE_MS: "2000", STEP_HEARTBEAT_TIMEOUT_SECONDS: "2" },
  });
  alice = sdkFor(bearer("alice"));
  bob = sdkFor(bearer("bob"));
  await startWorkerProcess();
}, 120_000);
afterAll(async () => {
  for (const worker of workers) await worker.kill("SIGKILL");
  await stack?.stop();
});

describe("authentication", () => {
  it("answers 401 without a valid token, and serves /ok and /info to anyone", async () => {
    const wrongKey = bearer("alice", FULL_SCOPE, "another-secret");
    const expired = bearer("alice", FULL_SCOPE, SECRET, Math.floor(Date.now() / 1000) - 60);
    for (const headers of [{}, { authorization: "Bearer not-a-jwt" }, { authorization: "Basic YWxpY2U6eA==" }, wrongKey, expired]) {
      const answer = await callApi(stack.url, "POST", "/threads/search", {}, headers);
      expect({ headers, status: answer.status, code: answer.body?.code }).toEqual({ headers, status: 401, code: "unauthorized" });
    }
    for (const path of ["/runs/crons/search", "/store/items/search"]) {
      const answer = await callApi(stack.url, "POST", path, { namespace_prefix: [] });
      expect({ path, status: answer.status }).toEqual({ path, status: 401 });
    }
    expect((await callApi(stack.url, "GET", "/info")).status).toBe(200);
    expect((await callApi(stack.url, "GET", "/ok")).status).toBe(200);
  });

  it("refuses with 403 what a user's scopes exclude, and serves what they include", async () => {
    const reader = sdkFor(bearer("carol", "threads:read"));
    expect(await statusOf(reader.threads.create())).toBe(403);
    expect(await statusOf(reader.assistants.search())).toBe(403);
    expect(await statusOf(reader.runs.wait(null, "agent", { input: {} }))).toBe(403);
    expect(await statusOf(reader.crons.search())).toBe(403);
    expect(await statusOf(reader.store.searchItems(["carol"]))).toBe(403);
    expect(await reader.threads.search()).toEqual([]);
  });

  it("gives LangGraph Studio's header its own user, never another's data (auth.disable_studio_auth unset)", async () => {
    await alice.threads.create({ metadata: { kind: "studio-probe" } });
    const studio = await callApi(stack.url, "POST", "/threads/search", {}, { "x-auth-scheme": "langsmith" });
    // The studio user has no scopes, so the example's handler refuses it.
    expect(studio.status).toBe(403);
  });
});

describe("two users", () => {
  it("each does everything with their own threads, runs and assistants", async () => {
    const assistant = await alice.assistants.create({ graphId: "agent", name: "alice's" });
    expect(assistant.metadata).toMatchObject({ owner: "alice" });
    expect((await alice.assistants.update(assistant.assistant_id, { name: "renamed" })).name).toBe("renamed");
    expect((await alice.assistants.search()).map((a) => a.assistant_id)).toContain(assistant.assistant_id);
    await alice.assistants.getGraph(assistant.assistant_id);

    const thread = await alice.threads.create({ metadata: { topic: "mine" } });
    expect(thread.metadata).toMatchObject({ owner: "alice", topic: "mine" });
    const result = await alice.runs.wait(thread.thread_id, assistant.assistant_id, { input: {} });
    expect(result).toEqual({ greeting: `Hello alice (${FULL_SCOPE.split(" ").join(", ")})` });
    const [run] = await alice.runs.list(thread.thread_id);
    expect((await alice.runs.get(thread.thread_id, run!.run_id)).status).toBe("success");
    expect(await alice.runs.join(thread.thread_id, run!.run_id)).toEqual(result);
    expect((await alice.threads.getState(thread.thread_id)).values).toEqual(result);
    expect((await alice.threads.getHistory(thread.thread_id)).length).toBeGreaterThan(0);
    await alice.threads.updateState(thread.thread_id, { values: { greeting: "edited" } });
    const copy = await alice.threads.copy(thread.thread_id);
    expect(copy.metadata).toMatchObject({ owner: "alice" });
    expect(await alice.threads.count({ metadata: { topic: "mine" } })).toBe(2);

    // A stateless run and a streamed run are the caller's too.
    expect(await alice.runs.wait(null, "agent", { input: {} })).toMatchObject({ greeting: expect.stringContaining("alice") });
    const events = [];
    for await (const event of alice.runs.stream(thread.thread_id, "agent", { input: {}, streamMode: "values" })) events.push(event.event);
    expect(events).toContain("values");

    // Batches of stateless runs too: their threads are alice's (kept with on_completion=keep).
    const batch = await callApi(stack.url, "POST", "/runs/batch", [{ assistant_id: "agent", on_completion: "keep" }], bearer("alice"));
    const batchThread = (batch.body as Array<{ thread_id: string }>)[0]!.thread_id;
    expect((await alice.threads.get(batchThread)).metadata).toMatchObject({ owner: "alice" });
    expect(await statusOf(bob.threads.get(batchThread))).toBe(404);

    await alice.runs.delete(thread.thread_id, run!.run_id);
    await alice.threads.delete(copy.thread_id);
    await alice.assistants.delete(assistant.assistant_id);
  });

  it("never see, search, count, stream, join, cancel, copy, update or delete the other's", async () => {
    const assistant = await alice.assistants.create({ graphId: "agent", metadata: { team: "a" } });
    const thread = await alice.threads.create({ metadata: { secret: "alice" } });
    await alice.runs.wait(thread.thread_id, "agent", { input: {} });
    const [run] = await alice.runs.list(thread.thread_id);
    const before = await alice.threads.get(thread.thread_id);
    const { thread_id } = thread;
    const run_id = run!.run_id;
    const assistant_id = assistant.assistant_id;

    // Every route answers as for a missing resource (404), as the JS server does, except:
    // copy (the JS server answers 409 "Thread not found"; we answer 404 as for a missing thread),
    // and streams (the JS server answers 200 with an error event; we answer 404 before streaming).
    const refused = {
      "threads.get": bob.threads.get(thread_id),
      "threads.update": bob.threads.update(thread_id, { metadata: { owner: "bob" } }),
      "threads.delete": bob.threads.delete(thread_id),
      "threads.copy": bob.threads.copy(thread_id),
      "threads.getState": bob.threads.getState(thread_id),
      "threads.updateState": bob.threads.updateState(thread_id, { values: { greeting: "bob was here" } }),
      "threads.getHistory": bob.threads.getHistory(thread_id),
      "runs.create": bob.runs.create(thread_id, "agent", { input: {} }),
      "runs.create if_not_exists": bob.runs.create(thread_id, "agent", { input: {}, ifNotExists: "create" }),
      "runs.list": bob.runs.list(thread_id),
      "runs.get": bob.runs.get(thread_id, run_id),
      "runs.join": bob.runs.join(thread_id, run_id),
      "runs.cancel": bob.runs.cancel(thread_id, run_id),
      "runs.delete": bob.runs.delete(thread_id, run_id),
      "assistants.get": bob.assistants.get(assistant_id),
      "assistants.update": bob.assistants.update(assistant_id, { name: "bob's now" }),
      "assistants.delete": bob.assistants.delete(assistant_id),
      "assistants.getGraph": bob.assistants.getGraph(assistant_id),
      "assistants.getVersions": bob.assistants.getVersions(assistant_id),
      "assistants.setLatest": bob.assistants.setLatest(assistant_id, 1),
    };
    const statuses = Object.fromEntries(await Promise.all(Object.entries(refused).map(async ([name, call]) => [name, await statusOf(call)])));
    expect(statuses).toEqual(Object.fromEntries(Object.keys(refused).map((name) => [name, 404])));

    const bobHeaders = bearer("bob");
    for (const path of [`/threads/${thread_id}/runs/${run_id}/stream`, `/threads/${thread_id}/stream`]) {
      expect({ path, status: (await callApi(stack.url, "GET", path, undefined, bobHeaders)).status }).toEqual({ path, status: 404 });
    }
    // Creating with the other's ids is a conflict, never a take-over.
    expect(await statusOf(bob.threads.create({ threadId: thread_id, ifExists: "do_nothing" }))).toBe(409);
    expect(await statusOf(bob.assistants.create({ graphId: "agent", assistantId: assistant_id, ifExists: "do_nothing" }))).toBe(409);
    expect((await callApi(stack.url, "POST", "/threads/prune", { thread_ids: [thread_id] }, bobHeaders)).body).toEqual({ pruned_count: 0 });

    expect((await bob.threads.search({ limit: 100 })).map((t) => t.thread_id)).not.toContain(thread_id);
    expect(await bob.threads.search({ metadata: { secret: "alice" } })).toEqual([]);
    expect(await bob.threads.count({ metadata: { secret: "alice" } })).toBe(0);
    expect((await bob.assistants.search({ limit: 100 })).map((a) => a.assistant_id)).not.toContain(assistant_id);
    expect(await bob.assistants.count({ metadata: { team: "a" } })).toBe(0);

    // Nothing of alice's changed.
    expect(await alice.threads.get(thread_id)).toMatchObject({ metadata: before.metadata, status: "idle" });
    expect((await alice.threads.getState(thread_id)).values).toEqual(before.values);
    expect((await alice.runs.get(thread_id, run_id)).status).toBe("success");
    expect((await alice.assistants.get(assistant_id)).name).toBe(assistant.name);
    expect(await alice.threads.count({ metadata: { secret: "alice" } })).toBe(1);
  });
});

describe("two users' crons and store items", () => {
  it("each does everything with their own crons, whose runs act for their creator", async () => {
    const thread = await alice.threads.create();
    const cron = await alice.crons.createForThread(thread.thread_id, "agent", { schedule: YEARLY, metadata: { job: "nightly" } });
    expect(cron).toMatchObject({ thread_id: thread.thread_id, user_id: "alice", metadata: { job: "nightly", owner: "alice" } });
    const stateless = await alice.crons.create("agent", { schedule: YEARLY });
    expect(stateless.metadata).toEqual({ owner: "alice" });
    expect((await callApi(stack.url, "GET", `/runs/crons/${cron.cron_id}`, undefined, bearer("alice"))).body).toMatchObject({ cron_id: cron.cron_id });
    const mine = (await alice.crons.search({ limit: 100 })).map((c) => c.cron_id);
    expect(mine).toEqual(expect.arrayContaining([cron.cron_id, stateless.cron_id]));
    expect(await alice.crons.count({ threadId: thread.thread_id })).toBe(1);
    // An update cannot give the cron away: the handler stamps the owner again.
    const updated = await alice.crons.update(cron.cron_id, { schedule: "0 0 2 1 *", metadata: { owner: "bob", job: "daily" } });
    expect(updated).toMatchObject({ schedule: "0 0 2 1 *", metadata: { owner: "alice", job: "daily" } });
    await alice.crons.delete(stateless.cron_id);
    await alice.crons.delete(cron.cron_id);
    expect(await alice.crons.count({ threadId: thread.thread_id })).toBe(0);

    // A firing cron's run sees its creator as langgraph_auth_user, though no request made it.
    const ticking = await alice.crons.createForThread(thread.thread_id, "remember", { schedule: "*/2 * * * * * *", input: {} });
    try {
      let runs: Array<{ run_id: string }> = [];
      const deadline = Date.now() + 60_000;
      while (runs.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        runs = await alice.runs.list(thread.thread_id);
      }
      expect(runs.length).toBeGreaterThan(0);
      const values = (await alice.runs.join(thread.thread_id, runs.at(-1)!.run_id)) as { seen: Record<string, unknown> };
      expect(values.seen).toMatchObject({ langgraph_auth_user: { identity: "alice", permissions: FULL_SCOPE.split(" ") }, langgraph_auth_user_id: "alice" });
    } finally {
      await alice.crons.delete(ticking.cron_id);
    }

    // A stateless cron's kept threads carry the cron's (stamped) metadata: its creator's, not bob's.
    const marker = `kept-${Date.now()}`;
    const keeping = await alice.crons.create("agent", { schedule: "*/2 * * * * * *", input: {}, metadata: { marker }, onRunCompleted: "keep" });
    try {
      let kept: Array<{ thread_id: string; metadata: unknown }> = [];
      const deadline = Date.now() + 60_000;
      while (kept.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        kept = await alice.threads.search({ metadata: { marker } });
      }
      expect(kept[0]?.metadata).toMatchObject({ marker, owner: "alice" });
      expect(await bob.threads.search({ metadata: { marker } })).toEqual([]);
    } finally {
      await alice.crons.delete(keeping.cron_id);
    }
  }, 120_000);

  it("never see, search, count, update or delete the other's crons", async () => {
    const thread = await alice.threads.create();
    const cron = await alice.crons.createForThread(thread.thread_id, "agent", { schedule: YEARLY, metadata: { secret: "alice" } });
    const stateless = await alice.crons.create("agent", { schedule: YEARLY, metadata: { secret: "alice" } });
    const bobHeaders = bearer("bob");
    const statuses = {
      get: (await callApi(stack.url, "GET", `/runs/crons/${cron.cron_id}`, undefined, bobHeaders)).status,
      update: await statusOf(bob.crons.update(cron.cron_id, { schedule: "* * * * *", metadata: { owner: "bob" } })),
      delete: await statusOf(bob.crons.delete(cron.cron_id)),
      "delete stateless": await statusOf(bob.crons.delete(stateless.cron_id)),
      "create on alice's thread": await statusOf(bob.crons.createForThread(thread.thread_id, "agent", { schedule: YEARLY })),
    };
    expect(statuses).toEqual({ get: 404, update: 404, delete: 404, "delete stateless": 404, "create on alice's thread": 404 });
    const bobSees = (await bob.crons.search({ limit: 100 })).map((c) => c.cron_id);
    expect(bobSees).not.toContain(cron.cron_id);
    expect(bobSees).not.toContain(stateless.cron_id);
    expect(await bob.crons.search({ threadId: thread.thread_id })).toEqual([]);
    expect(await bob.crons.count({ threadId: thread.thread_id })).toBe(0);
    expect((await callApi(stack.url, "POST", "/runs/crons/count", { metadata: { secret: "alice" } }, bobHeaders)).body).toBe(0);

    // Nothing of alice's changed.
    const [still] = await alice.crons.search({ threadId: thread.thread_id });
    expect(still).toMatchObject({ cron_id: cron.cron_id, schedule: YEARLY, metadata: { owner: "alice", secret: "alice" } });
    expect((await callApi(stack.url, "POST", "/runs/crons/count", { metadata: { secret: "alice" } }, bearer("alice"))).body).toBe(2);
    await alice.crons.delete(cron.cron_id);
    await alice.crons.delete(stateless.cron_id);
  });

  it("each does everything with their own store items, and nothing with the other's", async () => {
    await alice.store.putItem(["alice", "notes"], "k", { text: "mine" });
    await alice.store.putItem(["alice", "drafts"], "d", { text: "draft" });
    expect(await alice.store.getItem(["alice", "notes"], "k")).toMatchObject({ namespace: ["alice", "notes"], value: { text: "mine" } });
    expect((await alice.store.searchItems(["alice"])).items.map((item) => item.key).sort()).toEqual(["d", "k"]);
    expect((await alice.store.listNamespaces({ prefix: ["alice"] })).namespaces).toEqual([["alice", "drafts"], ["alice", "notes"]]);
    await alice.store.deleteItem(["alice", "drafts"], "d");
    expect(await alice.store.getItem(["alice", "drafts"], "d")).toBeNull();

    await bob.store.putItem(["bob"], "k", { text: "bob's" });
    const refused = {
      getItem: bob.store.getItem(["alice", "notes"], "k"),
      putItem: bob.store.putItem(["alice", "notes"], "k", { text: "bob was here" }),
      deleteItem: bob.store.deleteItem(["alice", "notes"], "k"),
      "searchItems alice's": bob.store.searchItems(["alice"]),
      "searchItems everything": bob.store.searchItems([]),
      "listNamespaces alice's": bob.store.listNamespaces({ prefix: ["alice"] }),
      "listNamespaces everything": bob.store.listNamespaces(),
    };
    const statuses = Object.fromEntries(await Promise.all(Object.entries(refused).map(async ([name, call]) => [name, await statusOf(call)])));
    expect(statuses).toEqual(Object.fromEntries(Object.keys(refused).map((name) => [name, 403])));
    expect((await bob.store.searchItems(["bob"])).items.map((item) => item.value)).toEqual([{ text: "bob's" }]);

    // Nothing of alice's changed.
    expect(await alice.store.getItem(["alice", "notes"], "k")).toMatchObject({ value: { text: "mine" } });
    expect((await alice.store.searchItems(["alice"])).items).toHaveLength(1);
  });
});

describe("the user in the graph", () => {
  it("reaches a node as langgraph_auth_user and survives a worker SIGKILL mid-step", async () => {
    // 1. alice starts a slow run; bob's bulk cancel of every run must not reach it
    const thread = await alice.threads.create();
    const run = await alice.runs.create(thread.thread_id, "remember", { input: {} });
    await waitUntil(() => nodeExecutions(stack, thread.thread_id).includes("start remember"));
    expect((await callApi(stack.url, "POST", "/runs/cancel", { status: "all" }, bearer("bob"))).status).toBe(204);
    expect(await statusOf(bob.runs.cancel(thread.thread_id, run.run_id))).toBe(404);

    // 2. the worker running the step dies; another one retries the step
    await workers[0]!.kill("SIGKILL");
    await startWorkerProcess();
    const values = (await alice.runs.join(thread.thread_id, run.run_id)) as { seen: Record<string, unknown> };
    expect((await alice.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
    expect(nodeExecutions(stack, thread.thread_id).filter((line) => line === "start remember")).toHaveLength(2);

    // 3. the retried step saw the user stored with the run, not an HTTP request's
    expect(values.seen).toEqual({
      langgraph_auth_user: { identity: "alice", display_name: "alice", is_authenticated: true, permissions: FULL_SCOPE.split(" ") },
      langgraph_auth_user_id: "alice",
      langgraph_auth_permissions: FULL_SCOPE.split(" "),
    });
  }, 120_000);
});

async function waitUntil(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
