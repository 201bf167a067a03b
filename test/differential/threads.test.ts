// Threads (spec §4): CRUD, search/count with every filter and sort, copy, prune.
import { describe } from "vitest";
import { differentialFile, scenario } from "./harness.ts";

differentialFile();

const FAST = { configurable: { step_node_ms: 0 } };

describe("threads", () => {
  scenario("create, get, patch, delete, if_exists", async (t) => {
    const thread = await t.call("create", (c) => c.threads.create({ metadata: { tag: "threads-crud", n: 1 } }));
    await t.call("create with the same id, do_nothing", (c) => c.threads.create({ threadId: thread.thread_id, ifExists: "do_nothing", metadata: { other: 1 } }));
    await t.call("create with the same id, raise", (c) => c.threads.create({ threadId: thread.thread_id, ifExists: "raise" }));
    await t.call("get", (c) => c.threads.get(thread.thread_id));
    await t.call("patch", (c) => c.threads.update(thread.thread_id, { metadata: { n: 2, more: "x" } }));
    await t.call("create with a graph id", (c) => c.threads.create({ graphId: "steps" }));
    await t.call("delete", (c) => c.threads.delete(thread.thread_id));
    await t.call("get deleted", (c) => c.threads.get(thread.thread_id));
    await t.call("patch deleted", (c) => c.threads.update(thread.thread_id, { metadata: {} }));
    await t.call("delete again", (c) => c.threads.delete(thread.thread_id));
  });

  scenario("search and count: metadata, values, status, ids, sort, select, pagination", async (t) => {
    const tag = "threads-search";
    const ran = await t.call("create and run", (c) => c.threads.create({ metadata: { tag, kind: "ran" } }));
    await t.call("run", (c) => c.runs.wait(ran.thread_id, "steps", { input: { seed: 2 }, config: FAST }));
    // Before any thread without values exists: the oracle's values filter matches those (README).
    await t.call("by values", (c) => c.threads.search({ metadata: { tag }, values: { seed: 2 } }));
    await t.call("count by values", (c) => c.threads.count({ metadata: { tag }, values: { seed: 2 } }));
    const idle = await t.call("create idle", (c) => c.threads.create({ metadata: { tag, kind: "idle" } }));
    const asked = await t.call("create asked", (c) => c.threads.create({ metadata: { tag, kind: "asked" } }));
    await t.call("run asking", (c) => c.runs.wait(asked.thread_id, "asking", { input: { answer: "" } }));
    const failed = await t.call("create failed", (c) => c.threads.create({ metadata: { tag, kind: "failed" } }));
    await t.call("run failing", (c) => c.runs.wait(failed.thread_id, "failing", { input: { text: "x" }, raiseError: false }));
    await t.call("by metadata", (c) => c.threads.search({ metadata: { tag } }));
    for (const status of ["idle", "busy", "interrupted", "error"] as const) {
      await t.call(`by status ${status}`, (c) => c.threads.search({ metadata: { tag }, status }));
      await t.call(`count status ${status}`, (c) => c.threads.count({ metadata: { tag }, status }));
    }
    await t.call("by ids", (c) => c.threads.search({ ids: [idle.thread_id, asked.thread_id], sortBy: "created_at", sortOrder: "asc" }));
    await t.call("limit offset", (c) => c.threads.search({ metadata: { tag }, limit: 2, offset: 1 }));
    for (const sortBy of ["thread_id", "status", "created_at", "updated_at"] as const) {
      for (const sortOrder of ["asc", "desc"] as const) {
        const found = await t.client.threads.search({ metadata: { tag }, sortBy, sortOrder });
        // Threads of one status may come in any order.
        if (sortBy === "status") t.note(`sorted by status ${sortOrder}`, found.map((thread) => thread.status));
        else if (sortBy !== "thread_id") t.note(`sorted by ${sortBy} ${sortOrder}`, found.map((thread) => thread.metadata?.kind));
      }
    }
    await t.call("select", (c) => c.threads.search({ metadata: { tag }, select: ["thread_id", "status"], sortBy: "created_at", sortOrder: "asc" }));
    await t.call("count all of the tag", (c) => c.threads.count({ metadata: { tag } }));
  });

  // Prune is not implemented by the oracle (404), and its copy leaves out the values and the
  // config (README): ours are covered by test/e2e/threads.test.ts.
  scenario("copy", async (t) => {
    const thread = await t.call("create", (c) => c.threads.create({ metadata: { tag: "threads-copy" } }));
    await t.call("run", (c) => c.runs.wait(thread.thread_id, "steps", { input: { seed: 3 }, config: FAST }));
    const copy = await t.call("copy", (c) => c.threads.copy(thread.thread_id).then(({ thread_id, metadata }) => ({ thread_id, metadata })));
    await t.call("copied state", (c) => c.threads.getState(copy.thread_id));
    await t.call("copied history", (c) => c.threads.getHistory(copy.thread_id, { limit: 3 }));
  });
});
