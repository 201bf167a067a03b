// The scale-out storage: our tables and LangGraph's checkpoints in one PostgreSQL database,
// shared by every API and worker replica.
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { openRepositories } from "./repositories.ts";
import type { Database } from "./schema.ts";
import { StampingPostgresSaver } from "./stamping-postgres-saver.ts";
import type { StoreOptions } from "./item-store.ts";
import type { ExclusiveTask, Storage } from "./types.ts";

export interface OpenedPostgresStorage {
  storage: Storage;
  checkpointer: StampingPostgresSaver;
}

/** Advisory lock keys: any numbers no one else uses on the database. */
const LOCK_KEYS: Record<ExclusiveTask, number> = {
  // Neither `CREATE TABLE IF NOT EXISTS` nor the checkpointer's migrations are safe to run
  // side by side in PostgreSQL when replicas start together.
  "schema-setup": 0x6c67_7470,
  // Two API replicas starting together would both resubmit the same orphaned run.
  "orphan-recovery": 0x6c67_7471,
};

/** A session lock on one pooled connection, released when `work` settles (or the session dies). */
async function oneAtATime<T>(pool: pg.Pool, lock: ExclusiveTask, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEYS[lock]]);
    try {
      return await work();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEYS[lock]]);
    }
  } finally {
    client.release();
  }
}

export async function openPostgresStorage(url: string, store: StoreOptions = {}): Promise<OpenedPostgresStorage> {
  const pool = new pg.Pool({ connectionString: url });
  // A connection that breaks while idle is dropped by the pool; without a listener its error
  // would end the process. The next query reports an outage that lasts.
  pool.on("error", (err) => console.warn(`PostgreSQL connection lost: ${err.message}`));
  // The pool listens only while a connection is idle: one that breaks while checked out (e.g.
  // between a transaction's statements when the server restarts) would end the process too.
  // Its pending or next query fails instead, and the step is retried (issue 16).
  pool.on("connect", (client) => client.on("error", (err) => console.warn(`PostgreSQL connection lost: ${err.message}`)));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const checkpointer = new StampingPostgresSaver(pool);
  try {
    const repositories = await oneAtATime(pool, "schema-setup", async () => {
      await checkpointer.setup();
      return openRepositories(db, store);
    });
    // The checkpointer shares the pool, which destroying Kysely ends.
    const storage: Storage = { ...repositories, oneAtATime: (lock, work) => oneAtATime(pool, lock, work), close: () => db.destroy() };
    return { storage, checkpointer };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}
