// A thread's status refresh that meets another writer on PostgreSQL (the cluster suite's flake:
// a thread left `busy` after its runs ended). The refresh must read the runs only once it holds
// the thread, so a run ended by a transaction it waited for counts as ended.
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openStorage, type OpenedStorage } from "../../src/storage/open-storage.ts";
import { startPostgres, type PostgresServer } from "../helpers/postgres-server.ts";

let server: PostgresServer;
let opened: OpenedStorage;
let databaseUrl: string;

beforeAll(async () => {
  server = await startPostgres();
  databaseUrl = await server.createDatabase();
  opened = await openStorage({ dataDir: "/nonexistent/lgt-data", databaseUrl });
});
afterAll(async () => {
  await opened?.storage.close();
  await server?.stop();
});

it("refreshes a thread's status from its runs as they stand once the thread is its to write", async () => {
  const { threads, runs } = opened.storage;
  const at = new Date().toISOString();
  await threads.create({ thread_id: "t1", created_at: at, updated_at: at, state_updated_at: at, metadata: {}, status: "busy", config: {}, values: null, interrupts: {} });
  await runs.insert({
    run_id: "r1", thread_id: "t1", assistant_id: "a", created_at: at, updated_at: at, status: "running", metadata: {}, multitask_strategy: "reject",
    cancel_reason: null, result: null, started_at: at, ended_at: null, attempt: 1,
    kwargs: { input: null, command: null, config: { configurable: {}, metadata: {} }, context: {}, stream_mode: ["values"], interrupt_before: null, interrupt_after: null,
      webhook: null, feedback_keys: null, temporary: false, subgraphs: false, resumable: false, durability: "async" },
  });
  // Another writer holds the thread (as a run's end does on another worker) while it ends the run.
  const other = new pg.Client({ connectionString: databaseUrl });
  await other.connect();
  try {
    await other.query("BEGIN");
    await other.query("UPDATE threads SET updated_at = updated_at WHERE thread_id = 't1'");
    const refreshed = threads.updateStatus("t1", (facts) => (facts.hasInflightRun ? "busy" : "idle"));
    await waitForLockWait(other);
    await other.query("UPDATE runs SET status = 'success', ended_at = $1 WHERE run_id = 'r1'", [new Date().toISOString()]);
    await other.query("COMMIT");
    await refreshed;
  } finally {
    await other.end();
  }
  expect((await runs.get("r1"))?.status).toBe("success");
  expect((await threads.get("t1"))?.status).toBe("idle");
});

/** Until a session of the storage's pool waits for a lock (the refresh behind `other`'s transaction). */
async function waitForLockWait(other: pg.Client): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await other.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()");
    if (rows[0].n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the refresh never waited for the thread");
}
