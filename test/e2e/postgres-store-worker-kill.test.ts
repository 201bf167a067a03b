// The store's worker-SIGKILL test (store-worker-kill.test.ts) with the whole stack on PostgreSQL,
// then a look into that database: the killed step's note is one row there.
import pg from "pg";
import { expect, it } from "vitest";
import { stacksOnPostgres } from "../helpers/postgres-for-stacks.ts";

const databaseUrl = await stacksOnPostgres();
await import("./store-worker-kill.test.ts");

it("kept the note once, in PostgreSQL", async () => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = await client.query("SELECT key, value FROM store_items WHERE namespace LIKE 'notes.%'");
    expect(rows.rows).toEqual([{ key: "final", value: JSON.stringify({ text: "hello" }) }]);
  } finally {
    await client.end();
  }
});
