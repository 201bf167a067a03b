// The storage contract, run against both databases behind `openStorage` (style §10: one suite
// per interface): SQLite in a temporary folder, and PostgreSQL on a server this file starts from
// the machine's binaries (test/helpers/storage-backends.ts). Each test gets a fresh, empty database.
import { Annotation, StateGraph } from "@langchain/langgraph";
import type { Checkpoint, CheckpointMetadata } from "@langchain/langgraph-checkpoint";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Assistant, Cron, RunStatus, StoredRun, Thread } from "../../src/api-types.ts";
import { openStorage, type OpenedStorage } from "../../src/storage/open-storage.ts";
import { copyCheckpoints } from "../../src/threads/thread-checkpoints.ts";
import { type AuthFilters, parseAuthFilters } from "../../src/auth/auth-filters.ts";
import { BACKENDS, type Backend, type StorageSettings } from "../helpers/storage-backends.ts";
import { waitUntil } from "../faults/harness.ts";

/** An ISO timestamp `seconds` after a fixed origin, so that order is known. */
const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, seconds)).toISOString();

function thread(id: string, fields: Partial<Thread> = {}): Thread {
  return {
    thread_id: id,
    created_at: at(0),
    updated_at: at(0),
    state_updated_at: at(0),
    metadata: {},
    status: "idle",
    config: {},
    values: null,
    interrupts: {},
    ...fields,
  };
}

function run(id: string, threadId: string, fields: Partial<StoredRun> = {}): StoredRun {
  return {
    run_id: id,
    thread_id: threadId,
    assistant_id: "assistant-1",
    created_at: at(0),
    updated_at: at(0),
    status: "pending",
    metadata: {},
    kwargs: {
      input: { messages: [{ role: "user", content: "hi" }] },
      command: null,
      config: { configurable: { thread_id: threadId }, metadata: {} },
      context: {},
      stream_mode: ["values"],
      interrupt_before: null,
      interrupt_after: null,
      webhook: null,
      feedback_keys: null,
      temporary: false,
      subgraphs: false,
      resumable: false,
      durability: "async",
    },
    multitask_strategy: "reject",
    cancel_reason: null,
    result: null,
    started_at: null,
    ended_at: null,
    attempt: 0,
    ...fields,
  };
}

function assistant(id: string, fields: Partial<Assistant> = {}): Assistant {
  return {
    assistant_id: id,
    graph_id: "agent",
    name: id,
    description: null,
    config: {},
    context: {},
    metadata: {},
    version: 1,
    created_at: at(0),
    updated_at: at(0),
    ...fields,
  };
}

/** A one-node graph that appends to a log, compiled with the storage's checkpointer. */
function logGraph(opened: OpenedStorage) {
  const State = Annotation.Root({ log: Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }) });
  return new StateGraph(State)
    .addNode("write", (state: { log: string[] }) => ({ log: [`after ${state.log.at(-1)}`] }))
    .addEdge("__start__", "write")
    .compile({ checkpointer: opened.checkpointer });
}

const runConfig = (threadId: string, runId: string) => ({ configurable: { thread_id: threadId }, metadata: { run_id: runId } });

for (const backend of BACKENDS) describe(`${backend.name} storage`, () => {
  // Started by the first test, not in beforeAll: a database that cannot start (no PostgreSQL
  // binaries) then fails every test of its half with the reason, rather than skipping them.
  let started: ReturnType<Backend["start"]> | undefined;
  const database = () => (started ??= backend.start());
  let settings: StorageSettings;
  let opened: OpenedStorage;

  beforeEach(async () => {
    settings = await (await database()).fresh();
    opened = await openStorage(settings);
  });
  afterEach(async () => opened?.storage.close());
  // A start that failed has been reported by every test already.
  afterAll(async () => (await started?.catch(() => undefined))?.stop());

  it("lets replicas that start together set up one new database", async () => {
    const settings = await (await database()).fresh();
    const replicas = await Promise.all([1, 2, 3, 4].map(() => openStorage(settings)));
    try {
      await replicas[0]!.storage.threads.create(thread("t1"));
      for (const replica of replicas) expect(await replica.storage.threads.get("t1")).toEqual(thread("t1"));
    } finally {
      for (const replica of replicas) await replica.storage.close();
    }
  });

  describe("threads", () => {
    it("creates a thread once and reads it back as written", async () => {
      const { threads } = opened.storage;
      const written = thread("t1", {
        metadata: { owner: "ada", nested: { tags: ["a", "b"] } },
        values: { messages: [{ type: "human", content: "héllo ✓" }] },
        interrupts: { task: [{ value: "ask", id: "i1" }] },
        status: "interrupted",
      });
      expect(await threads.create(written, { ttl: 60, strategy: "delete" })).toBe(true);
      expect(await threads.create(thread("t1", { metadata: { owner: "mallory" } }))).toBe(false);
      expect(await threads.get("t1")).toEqual(written);
      expect(await threads.ttl("t1")).toEqual({ ttl: 60, strategy: "delete" });
      expect(await threads.get("missing")).toBeUndefined();
      expect(await threads.ttl("missing")).toBeNull();
    });

    it("updates only the fields given", async () => {
      const { threads } = opened.storage;
      await threads.create(thread("t1", { metadata: { a: 1 } }), { ttl: 5, strategy: "delete" });
      await threads.update("t1", { status: "busy", values: { n: 1 }, updated_at: at(9), ttl: null });
      expect(await threads.get("t1")).toEqual(thread("t1", { metadata: { a: 1 }, status: "busy", values: { n: 1 }, updated_at: at(9) }));
      expect(await threads.ttl("t1")).toBeNull();
    });

    it("searches with filters, order, pages and a total", async () => {
      const { threads } = opened.storage;
      await threads.create(thread("t1", { created_at: at(1), status: "idle", metadata: { team: "red", n: 1 } }));
      await threads.create(thread("t2", { created_at: at(2), status: "busy", metadata: { team: "blue" }, values: { topic: "x" } }));
      await threads.create(thread("t3", { created_at: at(3), status: "idle", metadata: { team: "red", n: 2 } }));
      await threads.create(thread("t4", { created_at: at(3), status: "idle", metadata: {} }));
      const ids = (result: { items: Thread[] }) => result.items.map((t) => t.thread_id);
      const page = { limit: 10, offset: 0, sortBy: "created_at" as const, sortOrder: "desc" as const };

      // Ties on created_at fall back to the id, in the same direction.
      expect(ids(await threads.search(page))).toEqual(["t4", "t3", "t2", "t1"]);
      expect(ids(await threads.search({ ...page, sortOrder: "asc" }))).toEqual(["t1", "t2", "t3", "t4"]);
      expect(await threads.search({ ...page, limit: 2, offset: 1 })).toMatchObject({ total: 4 });
      expect(ids(await threads.search({ ...page, limit: 2, offset: 1 }))).toEqual(["t3", "t2"]);
      expect(ids(await threads.search({ ...page, status: "idle" }))).toEqual(["t4", "t3", "t1"]);
      expect(ids(await threads.search({ ...page, ids: ["t1", "t2"] }))).toEqual(["t2", "t1"]);
      const red = await threads.search({ ...page, metadata: { team: "red" }, limit: 1 });
      expect(red).toMatchObject({ total: 2 });
      expect(ids(red)).toEqual(["t3"]);
      expect(ids(await threads.search({ ...page, values: { topic: "x" } }))).toEqual(["t2"]);
      expect(await threads.count({})).toBe(4);
      expect(await threads.count({ status: "idle", metadata: { team: "red" } })).toBe(2);
      expect(await threads.count({ status: "error" })).toBe(0);
    });

    it("deletes a thread with its runs, and nothing else", async () => {
      const { threads, runs } = opened.storage;
      await threads.create(thread("t1"));
      await threads.create(thread("t2"));
      await runs.insert(run("r1", "t1"));
      await runs.insert(run("r2", "t2"));
      await threads.delete("t1");
      expect(await threads.get("t1")).toBeUndefined();
      expect(await runs.get("r1")).toBeUndefined();
      expect(await threads.get("t2")).toBeDefined();
      expect(await runs.get("r2")).toBeDefined();
    });

    it("finds the threads of an assistant by exact id, with LIKE's wildcards taken literally", async () => {
      const { threads } = opened.storage;
      await threads.create(thread("t1", { metadata: { assistant_id: "a_1%" } }));
      await threads.create(thread("t2", { metadata: { assistant_id: "ab1%x" } }));
      await threads.create(thread("t3", { metadata: { assistant_id: "a_1%", other: true } }));
      await threads.create(thread("t4", { metadata: { owner: "a_1%" } }));
      expect((await threads.idsForAssistant("a_1%")).sort()).toEqual(["t1", "t3"]);
      expect(await threads.idsForAssistant("a_1")).toEqual([]);
    });

    it("lists threads past their own TTL or the default, oldest update first, and not again once pruned", async () => {
      const { threads, runs, runEvents } = opened.storage;
      // Updated at 0 s, 60 s and 120 s; "now" is 180 s: a 2-minute TTL ran out only for t1.
      await threads.create(thread("t1", { updated_at: at(0) }), { ttl: 2, strategy: "keep_latest" });
      await threads.create(thread("t2", { updated_at: at(120) }), { ttl: 2, strategy: "delete" });
      await threads.create(thread("t3", { updated_at: at(60) }));
      await threads.create(thread("t4", { updated_at: at(170) }));
      const now = new Date(at(180));
      expect(await threads.expired(now, null, 10)).toEqual([{ threadId: "t1", strategy: "keep_latest", updatedAt: at(0) }]);
      const withDefault = await threads.expired(now, { ttl: 1, strategy: "delete" }, 10);
      expect(withDefault.map((t) => [t.threadId, t.strategy])).toEqual([["t1", "keep_latest"], ["t3", "delete"]]);
      expect((await threads.expired(now, { ttl: 1, strategy: "delete" }, 1)).map((t) => t.threadId)).toEqual(["t1"]);

      await runs.insert(run("ended", "t1", { status: "success" }));
      await runs.insert(run("inflight", "t1", { status: "running" }));
      await runEvents.append("ended", "t1", "values", "{}");
      await threads.dropRunHistory("t1", at(0));
      expect(await runs.get("ended")).toBeUndefined();
      expect(await runEvents.after("ended", -1, 10)).toEqual([]);
      expect(await runs.get("inflight")).toBeDefined();
      expect(await threads.get("t1")).toEqual(thread("t1", { updated_at: at(0) }));
      // Pruned since its last update: not listed again until it is updated.
      expect(await threads.expired(now, null, 10)).toEqual([]);
      await threads.update("t1", { updated_at: at(10) });
      expect((await threads.expired(now, null, 10)).map((t) => t.threadId)).toEqual(["t1"]);
    });
  });

  describe("crons", () => {
    const cron = (id: string, fields: Partial<Cron> = {}): Cron => ({
      cron_id: id,
      assistant_id: "a1",
      thread_id: "t1",
      user_id: null,
      schedule: "0 0 * * *",
      timezone: null,
      end_time: null,
      payload: { input: { messages: [{ role: "user", content: "héllo" }] }, multitask_strategy: "enqueue" },
      metadata: {},
      on_run_completed: null,
      enabled: true,
      next_run_date: null,
      created_at: at(0),
      updated_at: at(0),
      ...fields,
    });

    it("stores a cron, reads it back as written, updates the fields given and deletes it", async () => {
      const { crons } = opened.storage;
      const written = cron("c1", { thread_id: null, on_run_completed: "keep", timezone: "Europe/Paris", end_time: at(99), metadata: { n: 1 } });
      await crons.insert(written);
      expect(await crons.get("c1")).toEqual(written);
      await crons.update("c1", { enabled: false, next_run_date: at(5), payload: { input: null } });
      expect(await crons.get("c1")).toEqual({ ...written, enabled: false, next_run_date: at(5), payload: { input: null } });
      expect(await crons.get("c1", { userId: "someone" })).toBeUndefined();
      expect(await crons.get("c1", { metadata: { n: 2 } })).toBeUndefined();
      expect(await crons.delete("c1")).toBe(true);
      expect(await crons.delete("c1")).toBe(false);
      expect(await crons.get("c1")).toBeUndefined();
    });

    it("searches and counts by assistant, thread, enabled, metadata and owner, sorted and paged", async () => {
      const { crons } = opened.storage;
      await crons.insert(cron("c1", { created_at: at(1), metadata: { team: "red" }, next_run_date: at(30) }));
      await crons.insert(cron("c2", { created_at: at(2), thread_id: null, metadata: { team: "blue" }, next_run_date: at(10) }));
      await crons.insert(cron("c3", { created_at: at(3), assistant_id: "a2", enabled: false, metadata: { team: "red" }, user_id: "ada" }));
      const ids = (result: { items: Cron[] }) => result.items.map((c) => c.cron_id);
      const page = { limit: 10, offset: 0, sortBy: "created_at" as const, sortOrder: "desc" as const };

      expect(ids(await crons.search(page))).toEqual(["c3", "c2", "c1"]);
      expect(await crons.search({ ...page, limit: 1, offset: 1 })).toMatchObject({ total: 3, items: [{ cron_id: "c2" }] });
      expect(ids(await crons.search({ ...page, assistantId: "a1" }))).toEqual(["c2", "c1"]);
      expect(ids(await crons.search({ ...page, threadId: "t1" }))).toEqual(["c3", "c1"]);
      expect(ids(await crons.search({ ...page, enabled: false }))).toEqual(["c3"]);
      expect(ids(await crons.search({ ...page, userId: "ada" }))).toEqual(["c3"]);
      const red = await crons.search({ ...page, metadata: { team: "red" }, limit: 1 });
      expect(red).toMatchObject({ total: 2 });
      expect(ids(red)).toEqual(["c3"]);
      expect(ids(await crons.search({ ...page, sortBy: "next_run_date", sortOrder: "asc" }))).toEqual(["c2", "c1", "c3"]);
      expect(ids(await crons.search({ ...page, sortBy: "next_run_date", sortOrder: "desc" }))).toEqual(["c1", "c2", "c3"]);
      expect(ids(await crons.search({ ...page, sortBy: "thread_id", sortOrder: "asc" }))).toEqual(["c1", "c3", "c2"]);
      expect(await crons.count({})).toBe(3);
      expect(await crons.count({ assistantId: "a1", metadata: { team: "red" } })).toBe(1);
      expect(await crons.count({ threadId: "t9" })).toBe(0);
    });

    it("keeps a cron's creator apart from the cron, and narrows lookups, searches and counts by auth filters", async () => {
      const { crons } = opened.storage;
      const ada = { identity: "ada", display_name: "ada", is_authenticated: true, permissions: ["crons:read"], org: "x" };
      const mine = cron("c1", { metadata: { owner: "ada", tags: ["a", "b"] }, user_id: "ada" });
      await crons.insert(mine, ada);
      await crons.insert(cron("c2", { metadata: { owner: "bob" } }));
      expect(await crons.get("c1")).toEqual(mine);
      expect(await crons.creator("c1")).toEqual(ada);
      expect(await crons.creator("c2")).toBeUndefined();
      const adas: AuthFilters = [{ key: "owner", op: "eq", value: "ada" }];
      expect(await crons.get("c1", { auth: adas })).toEqual(mine);
      expect(await crons.get("c2", { auth: adas })).toBeUndefined();
      const page = { limit: 10, offset: 0, sortBy: "created_at" as const, sortOrder: "desc" as const };
      expect(await crons.search({ ...page, auth: adas })).toMatchObject({ total: 1, items: [{ cron_id: "c1" }] });
      expect(await crons.count({ auth: [{ key: "tags", op: "contains", values: ["b"] }] })).toBe(1);
      expect(await crons.count({ auth: [{ key: "owner", op: "eq", value: "eve" }] })).toBe(0);
    });
  });

  describe("runs", () => {
    it("stores a run and reads it back as written", async () => {
      const { runs } = opened.storage;
      const written = run("r1", "t1", { metadata: { user: "ada" }, attempt: 2, multitask_strategy: "enqueue" });
      await runs.insert(written);
      expect(await runs.get("r1")).toEqual(written);
      expect(await runs.get("missing")).toBeUndefined();
    });

    it("updates a run's status, result and times", async () => {
      const { runs } = opened.storage;
      await runs.insert(run("r1", "t1"));
      await runs.update("r1", { status: "success", result: { messages: [1, 2] }, ended_at: at(5), attempt: 1 });
      expect(await runs.get("r1")).toEqual(run("r1", "t1", { status: "success", result: { messages: [1, 2] }, ended_at: at(5), attempt: 1 }));
    });

    it("ends a run with its final event in one write, only from the status read; of two writers at once one wins", async () => {
      const { runs, runEvents } = opened.storage;
      const events = async (id: string) => (await runEvents.after(id, -1, 10)).map((e) => [e.event, e.data]);
      await runs.insert(run("r1", "t1", { status: "running" }));
      const read = { run_id: "r1", thread_id: "t1", status: "running" as const };
      expect(await runs.updateIfUnchanged(read, { status: "error", ended_at: at(5) }, { event: "error", data: '{"message":"boom"}' })).toBe(true);
      // A second writer that read the run running too writes nothing.
      expect(await runs.updateIfUnchanged(read, { status: "success", ended_at: at(6) })).toBe(false);
      expect(await runs.updateIfUnchanged(read, { status: "timeout" }, { event: "error", data: '{"message":"late"}' })).toBe(false);
      expect(await runs.get("r1")).toMatchObject({ status: "error", ended_at: at(5) });
      expect(await events("r1")).toEqual([["error", '{"message":"boom"}']]);

      await runs.insert(run("r2", "t1", { status: "running" }));
      const both = await Promise.all(["first", "second"].map((name) =>
        runs.updateIfUnchanged({ run_id: "r2", thread_id: "t1", status: "running" }, { status: "error" }, { event: "error", data: JSON.stringify(name) })));
      expect(both.filter(Boolean)).toHaveLength(1);
      expect(await events("r2")).toHaveLength(1);
    });

    it("lists a thread's runs newest first, by status and by page", async () => {
      const { runs } = opened.storage;
      const statuses: RunStatus[] = ["success", "error", "success", "pending"];
      for (const [i, status] of statuses.entries()) await runs.insert(run(`r${i}`, "t1", { created_at: at(i), status }));
      await runs.insert(run("other", "t2"));
      const ids = (list: StoredRun[]) => list.map((r) => r.run_id);
      expect(ids(await runs.listForThread("t1", { limit: 10, offset: 0 }))).toEqual(["r3", "r2", "r1", "r0"]);
      expect(ids(await runs.listForThread("t1", { limit: 2, offset: 1 }))).toEqual(["r2", "r1"]);
      expect(ids(await runs.listForThread("t1", { limit: 10, offset: 0, status: "success" }))).toEqual(["r2", "r0"]);
    });

    it("finds in-flight runs oldest first, per thread, per assistant and everywhere", async () => {
      const { runs } = opened.storage;
      await runs.insert(run("r1", "t1", { created_at: at(3), status: "running" }));
      await runs.insert(run("r2", "t1", { created_at: at(1), status: "pending" }));
      await runs.insert(run("r3", "t1", { created_at: at(0), status: "success" }));
      await runs.insert(run("r4", "t2", { created_at: at(2), status: "pending", assistant_id: "assistant-2" }));
      const ids = (list: StoredRun[]) => list.map((r) => r.run_id);
      expect(ids(await runs.inflightForThread("t1"))).toEqual(["r2", "r1"]);
      expect(ids(await runs.inflightEverywhere())).toEqual(["r2", "r4", "r1"]);
      expect(ids(await runs.inflightForAssistant("assistant-2"))).toEqual(["r4"]);
    });

    it("sets a thread's status from its runs: in flight, and the one that ended last", async () => {
      const { runs, threads } = opened.storage;
      await threads.create(thread("t1"));
      const seen: unknown[] = [];
      const refresh = (patch = {}) => threads.updateStatus("t1", (facts) => (seen.push(facts), facts.hasInflightRun ? "busy" : "idle"), patch);
      await refresh();
      await runs.insert(run("r1", "t1", { status: "success", ended_at: at(5) }));
      await runs.insert(run("r2", "t1", { status: "error", ended_at: at(7) }));
      await runs.insert(run("r3", "t1", { status: "running" }));
      await runs.insert(run("other", "t2", { status: "timeout", ended_at: at(9) }));
      await refresh({ values: { n: 1 }, updated_at: at(10) });
      expect(await threads.get("t1")).toMatchObject({ status: "busy", values: { n: 1 }, updated_at: at(10) });
      await runs.update("r3", { status: "success", ended_at: at(6) });
      await refresh();
      expect((await threads.get("t1"))?.status).toBe("idle");
      expect(seen).toEqual([
        { hasInflightRun: false, lastEndedStatus: undefined },
        { hasInflightRun: true, lastEndedStatus: "error" },
        { hasInflightRun: false, lastEndedStatus: "error" },
      ]);
      // A thread deleted meanwhile stays deleted.
      await threads.delete("t1");
      await refresh();
      expect(await threads.get("t1")).toBeUndefined();
      expect(seen).toHaveLength(3);
    });

    // PostgreSQL only: in SQLite one connection per process already makes writers take turns,
    // and a second connection waiting for the lock would block the event loop.
    if (backend.name === "PostgreSQL") it("refreshes a thread's status from its runs as they stand once the thread is its to write", async () => {
      const { runs, threads } = opened.storage;
      await threads.create(thread("t1", { status: "busy" }));
      await runs.insert(run("r1", "t1", { status: "running" }));
      // Another writer holds the thread (as a run's end does on another worker) while it ends the run.
      const other = new pg.Client({ connectionString: settings.databaseUrl });
      await other.connect();
      try {
        await other.query("BEGIN");
        await other.query("UPDATE threads SET updated_at = updated_at WHERE thread_id = 't1'");
        const refreshed = threads.updateStatus("t1", (facts) => (facts.hasInflightRun ? "busy" : "idle"));
        const waitingForLock = async () =>
          (await other.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()")).rowCount! > 0;
        await waitUntil(waitingForLock, 5000, "the refresh waiting for the thread");
        await other.query("UPDATE runs SET status = 'success', ended_at = $1 WHERE run_id = 'r1'", [at(5)]);
        await other.query("COMMIT");
        await refreshed;
      } finally {
        await other.end();
      }
      expect((await runs.get("r1"))?.status).toBe("success");
      expect((await threads.get("t1"))?.status).toBe("idle");
    });

    it("deletes one run, or every run of an assistant", async () => {
      const { runs } = opened.storage;
      await runs.insert(run("r1", "t1"));
      await runs.insert(run("r2", "t2", { assistant_id: "gone" }));
      await runs.insert(run("r3", "t3", { assistant_id: "gone" }));
      await runs.delete("r1");
      await runs.deleteForAssistant("gone");
      expect(await runs.inflightEverywhere()).toEqual([]);
    });
  });

  describe("assistants", () => {
    it("creates an assistant once, as its version 1", async () => {
      const { assistants } = opened.storage;
      const written = assistant("a1", { config: { configurable: { model: "m" } }, metadata: { team: "red" }, description: "first" });
      expect(await assistants.create(written)).toBe(true);
      expect(await assistants.create(assistant("a1", { name: "other" }))).toBe(false);
      await assistants.upsertSystem(assistant("a1", { name: "system" }));
      expect(await assistants.get("a1")).toEqual(written);
      const { updated_at: _, ...version1 } = written;
      expect(await assistants.listVersions("a1", { limit: 10, offset: 0 })).toEqual([{ ...version1, created_at: written.updated_at }]);
    });

    it("numbers each change after the highest version written, also after going back to an older one", async () => {
      const { assistants } = opened.storage;
      await assistants.create(assistant("a1", { metadata: { a: 1 } }));
      expect(await assistants.update("a1", { metadata: { b: 2 } }, at(1))).toMatchObject({ version: 2, metadata: { a: 1, b: 2 } });
      expect(await assistants.update("a1", { name: "renamed" }, at(2))).toMatchObject({ version: 3, name: "renamed" });
      const restored = await assistants.setLatest("a1", 1, at(3));
      expect(restored).toMatchObject({ status: "ok", assistant: { version: 1, name: "a1", metadata: { a: 1 } } });
      expect(await assistants.get("a1")).toMatchObject({ version: 1, name: "a1", updated_at: at(3) });
      expect(await assistants.update("a1", { description: "again" }, at(4))).toMatchObject({ version: 4, description: "again" });
      const versions = await assistants.listVersions("a1", { limit: 10, offset: 0 });
      expect(versions.map((v) => v.version)).toEqual([4, 3, 2, 1]);
      expect((await assistants.listVersions("a1", { limit: 10, offset: 0, metadata: { b: 2 } })).map((v) => v.version)).toEqual([3, 2]);
      expect(await assistants.update("missing", { name: "x" }, at(5))).toBeUndefined();
      expect(await assistants.setLatest("missing", 1, at(5))).toEqual({ status: "assistant_missing" });
      expect(await assistants.setLatest("a1", 9, at(5))).toEqual({ status: "version_missing" });
    });

    it("searches by graph, by case-insensitive name with wildcards taken literally, and by metadata", async () => {
      const { assistants } = opened.storage;
      await assistants.create(assistant("a1", { name: "Weather Bot", created_at: at(1), metadata: { tier: "gold" } }));
      await assistants.create(assistant("a2", { name: "weather_100%", created_at: at(2), graph_id: "other" }));
      await assistants.create(assistant("a3", { name: "weatherX100", created_at: at(3), metadata: { tier: "gold" } }));
      const names = (result: { items: Assistant[] }) => result.items.map((a) => a.name);
      const page = { limit: 10, offset: 0 };
      expect(names(await assistants.search({ ...page, name: "WEATHER" }))).toEqual(["weatherX100", "weather_100%", "Weather Bot"]);
      expect(names(await assistants.search({ ...page, name: "r_100%" }))).toEqual(["weather_100%"]);
      expect(names(await assistants.search({ ...page, graphId: "agent", sortBy: "name", sortOrder: "asc" }))).toEqual(["Weather Bot", "weatherX100"]);
      expect(await assistants.search({ ...page, metadata: { tier: "gold" }, limit: 1 })).toMatchObject({ total: 2, items: [{ name: "weatherX100" }] });
      expect(await assistants.count({ name: "weather" })).toBe(3);
      expect(await assistants.count({ graphId: "other" })).toBe(1);
      expect(await assistants.count({ metadata: { tier: "gold" }, graphId: "agent" })).toBe(2);
    });

    it("deletes an assistant with all its versions", async () => {
      const { assistants } = opened.storage;
      await assistants.create(assistant("a1"));
      await assistants.update("a1", { name: "two" }, at(1));
      expect(await assistants.delete("a1")).toBe(true);
      expect(await assistants.delete("a1")).toBe(false);
      expect(await assistants.get("a1")).toBeUndefined();
      expect(await assistants.listVersions("a1", { limit: 10, offset: 0 })).toEqual([]);
    });
  });

  describe("custom auth filters (issue 13)", () => {
    const ids = (threads: Thread[]) => threads.map((t) => t.thread_id).sort();

    it("applies equality, $eq and $contains on metadata in get, search, count and in-flight runs", async () => {
      const { threads, runs } = opened.storage;
      await threads.create(thread("t-alice", { metadata: { owner: "alice", tags: ["a", "b", 1, true], level: 2, flag: false, gone: null } }));
      await threads.create(thread("t-bob", { metadata: { owner: "bob", tags: ["b"], level: "2", nested: { owner: "alice" } } }));
      await threads.create(thread("t-none"));
      const seen = async (auth: AuthFilters) => ids((await threads.search({ auth, limit: 10, offset: 0, sortBy: "created_at", sortOrder: "asc" })).items);

      expect(await seen(parseAuthFilters({ owner: "alice" }))).toEqual(["t-alice"]);
      expect(await seen(parseAuthFilters({ owner: { $eq: "bob" } }))).toEqual(["t-bob"]);
      // JSON types are told apart: 2 is not "2", false is not null, a nested key is not the key.
      expect(await seen(parseAuthFilters({ level: 2 }))).toEqual(["t-alice"]);
      expect(await seen(parseAuthFilters({ level: "2" }))).toEqual(["t-bob"]);
      expect(await seen(parseAuthFilters({ flag: false }))).toEqual(["t-alice"]);
      expect(await seen(parseAuthFilters({ gone: null }))).toEqual(["t-alice"]);
      expect(await seen(parseAuthFilters({ tags: { $contains: "b" } }))).toEqual(["t-alice", "t-bob"]);
      expect(await seen(parseAuthFilters({ tags: { $contains: ["a", 1, true] } }))).toEqual(["t-alice"]);
      expect(await seen(parseAuthFilters({ tags: { $contains: "1" } }))).toEqual([]);
      expect(await seen(parseAuthFilters({ owner: { $contains: "alice" } }))).toEqual([]);
      expect(await seen(parseAuthFilters({ owner: "alice", level: 3 }))).toEqual([]);
      expect(await seen(parseAuthFilters({ "it's": "quoted" }))).toEqual([]);

      expect(await threads.get("t-alice", parseAuthFilters({ owner: "bob" }))).toBeUndefined();
      expect((await threads.get("t-alice", parseAuthFilters({ owner: "alice" })))?.thread_id).toBe("t-alice");
      expect(await threads.count({ auth: parseAuthFilters({ tags: { $contains: "b" } }) })).toBe(2);

      await runs.insert(run("r-alice", "t-alice"));
      await runs.insert(run("r-bob", "t-bob"));
      expect((await runs.inflightEverywhere(parseAuthFilters({ owner: "bob" }))).map((r) => r.run_id)).toEqual(["r-bob"]);
    });

    it("applies them to assistants", async () => {
      const { assistants } = opened.storage;
      await assistants.create(assistant("a-alice", { metadata: { owner: "alice" } }));
      await assistants.create(assistant("a-bob", { metadata: { owner: "bob" } }));
      const auth = parseAuthFilters({ owner: "alice" });
      expect((await assistants.search({ auth, limit: 10, offset: 0 })).items.map((a) => a.assistant_id)).toEqual(["a-alice"]);
      expect(await assistants.count({ auth })).toBe(1);
      expect(await assistants.get("a-bob", auth)).toBeUndefined();
    });
  });

  describe("run events", () => {
    it("numbers a run's events from 0 and replays them after a position", async () => {
      const { runEvents } = opened.storage;
      expect(await runEvents.lastSeq("r1")).toBe(-1);
      expect(await runEvents.append("r1", "t1", "metadata", '{"run_id":"r1"}')).toBe(0);
      expect(await runEvents.append("r1", "t1", "values", '{"n":1}')).toBe(1);
      expect(await runEvents.append("r2", "t1", "values", '{"n":2}')).toBe(0);
      expect(await runEvents.append("r1", "t1", "end", "null")).toBe(2);
      expect(await runEvents.lastSeq("r1")).toBe(2);
      expect((await runEvents.after("r1", 0, 10)).map((e) => [e.seq, e.event, e.data])).toEqual([[1, "values", '{"n":1}'], [2, "end", "null"]]);
      await runEvents.deleteForRun("r1");
      expect(await runEvents.after("r1", -1, 10)).toEqual([]);
      await runEvents.deleteForThread("t1");
      expect(await runEvents.lastSeq("r2")).toBe(-1);
    });
  });

  describe("step leases", () => {
    it("lets one holder at a time have a thread's lease, until it gives it back or lets it expire", async () => {
      const { stepLeases } = opened.storage;
      expect(await stepLeases.claim("t1", "a", 60_000)).toBe(true);
      expect(await stepLeases.claim("t1", "a", 60_000)).toBe(true);
      expect(await stepLeases.claim("t1", "b", 60_000)).toBe(false);
      expect(await stepLeases.claim("t2", "b", 60_000)).toBe(true);
      expect([await stepLeases.renew("t1", "a", 60_000), await stepLeases.renew("t1", "b", 60_000)]).toEqual([true, false]);
      await stepLeases.release("t1", "b");
      expect(await stepLeases.claim("t1", "b", 60_000)).toBe(false);
      await stepLeases.release("t1", "a");
      expect(await stepLeases.claim("t1", "b", 1)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 10));
      // b's lease expired: a takes it, and b learns it lost it when it renews.
      expect(await stepLeases.claim("t1", "a", 60_000)).toBe(true);
      expect(await stepLeases.renew("t1", "b", 60_000)).toBe(false);
    });
  });

  describe("checkpointer", () => {
    it("stamps the run's metadata beneath the runtime's keys, without LangSmith's", async () => {
      const { checkpointer } = opened;
      const checkpoint: Checkpoint = { v: 4, id: "1f000000-0000-6000-8000-000000000001", ts: at(0), channel_values: {}, channel_versions: {}, versions_seen: {} };
      await checkpointer.put(
        { configurable: { thread_id: "t1", checkpoint_ns: "" }, metadata: { run_id: "r1", graph_id: "agent", step: 99, ls_provider: "openai" } },
        checkpoint,
        { source: "loop", step: 3, parents: {} } as CheckpointMetadata,
        {},
      );
      const stored = await checkpointer.getTuple({ configurable: { thread_id: "t1", checkpoint_ns: "" } });
      expect(stored?.metadata).toEqual({ run_id: "r1", graph_id: "agent", source: "loop", step: 3, parents: {} });
    });

    it("rolls back one run: its checkpoints and writes go, and the next run from the same point keeps its own values", async () => {
      const graph = logGraph(opened);
      await graph.invoke({ log: ["kept"] }, runConfig("t1", "r0"));
      await graph.invoke({ log: ["rolled back"] }, runConfig("t1", "r1"));
      await graph.invoke({ log: ["other thread"] }, runConfig("t2", "r1"));
      const runIds = async (threadId: string) => {
        const ids: unknown[] = [];
        for await (const tuple of opened.checkpointer.list({ configurable: { thread_id: threadId } })) ids.push((tuple.metadata as { run_id?: string } | undefined)?.run_id);
        return ids;
      };
      expect(await runIds("t1")).toEqual(["r1", "r1", "r1", "r0", "r0", "r0"]);

      await opened.checkpointer.deleteRunCheckpoints("t1", "r1");
      expect(await runIds("t1")).toEqual(["r0", "r0", "r0"]);
      expect((await graph.getState({ configurable: { thread_id: "t1" } })).values).toEqual({ log: ["kept", "after kept"] });
      // Another thread's checkpoints of a run with the same id stay.
      expect(await runIds("t2")).toEqual(["r1", "r1", "r1"]);

      // The new run writes the same channels at the same steps as the rolled-back one did.
      await graph.invoke({ log: ["next"] }, runConfig("t1", "r2"));
      expect((await graph.getState({ configurable: { thread_id: "t1" } })).values).toEqual({ log: ["kept", "after kept", "next", "after next"] });
    });

    it("forks from any older checkpoint and reads the fork's values, not the later ones", async () => {
      const graph = logGraph(opened);
      const thread1 = { configurable: { thread_id: "t1" } };
      await graph.invoke({ log: ["one"] }, runConfig("t1", "r1"));
      await graph.invoke({ log: ["two"] }, runConfig("t1", "r2"));
      const history = [];
      for await (const state of graph.getStateHistory(thread1)) history.push(state);
      const older = history.slice(1).filter((state) => state.values.log.length > 0);
      expect(older.length).toBeGreaterThanOrEqual(4);

      // A fork writes the channel at the next version of an older checkpoint: the very version
      // a later checkpoint of the thread already holds a value under.
      for (const state of older) {
        const forked = await graph.updateState(state.config, { log: ["edited"] });
        expect((await graph.getState(forked)).values).toEqual({ log: [...state.values.log, "edited"] });
      }
    });

    it("copies, prunes and deletes a thread's checkpoints through LangGraph's interface", async () => {
      const graph = logGraph(opened);
      await graph.invoke({ log: ["one"] }, runConfig("t1", "r1"));
      await graph.invoke({ log: ["two"] }, runConfig("t1", "r2"));
      const expected = { log: ["one", "after one", "two", "after two"] };
      const count = async (threadId: string) => {
        let n = 0;
        for await (const _ of opened.checkpointer.list({ configurable: { thread_id: threadId } })) n++;
        return n;
      };

      await copyCheckpoints(opened.checkpointer, "t1", "copy");
      expect((await graph.getState({ configurable: { thread_id: "copy" } })).values).toEqual(expected);
      expect(await count("copy")).toBe(await count("t1"));

      await opened.checkpointer.keepLatest("copy");
      expect(await count("copy")).toBe(1);
      const kept = await graph.getState({ configurable: { thread_id: "copy" } });
      expect(kept.values).toEqual(expected);
      expect(kept.parentConfig).toBeUndefined();
      await opened.checkpointer.deleteThread("t1");
      expect(await count("t1")).toBe(0);
      expect((await graph.getState({ configurable: { thread_id: "copy" } })).values).toEqual(expected);
      // A run goes on from the kept checkpoint.
      await graph.invoke({ log: ["three"] }, runConfig("copy", "r3"));
      expect((await graph.getState({ configurable: { thread_id: "copy" } })).values.log).toEqual([...expected.log, "three", "after three"]);
    });
  });
});
