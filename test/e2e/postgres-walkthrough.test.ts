// The whole stack on PostgreSQL: the very walkthrough test (spec §7, walkthrough.test.ts) with
// DATABASE_URL naming a fresh database, then a look into that database to see that the
// walkthrough's records and checkpoints went there.
import pg from "pg";
import { expect, it } from "vitest";
import { stacksOnPostgres } from "../helpers/postgres-for-stacks.ts";

const databaseUrl = await stacksOnPostgres();
await import("./walkthrough.test.ts");

it("kept the walkthrough's thread, run and checkpoints in PostgreSQL", async () => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const threads = await client.query("SELECT thread_id, status FROM threads");
    expect(threads.rows).toEqual([{ thread_id: expect.any(String), status: "idle" }]);
    const threadId = threads.rows[0].thread_id;
    const runs = await client.query("SELECT thread_id, status, result FROM runs");
    expect(runs.rows).toEqual([{ thread_id: threadId, status: "success", result: expect.stringContaining("San Francisco") }]);
    const checkpoints = await client.query("SELECT metadata ->> 'run_id' AS run_id FROM checkpoints WHERE thread_id = $1", [threadId]);
    expect(checkpoints.rows.length).toBeGreaterThanOrEqual(4);
  } finally {
    await client.end();
  }
});
