// The scale-out storage: our tables and LangGraph's checkpoints in one PostgreSQL database,
// shared by every API and worker replica.
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { openRepositories } from "./repositories.ts";
import type { Database } from "./schema.ts";
import { StampingPostgresSaver } from "./stamping-postgres-saver.ts";
import type { StoreOptions } from "./item-store.ts";
import type { Storage } from "./types.ts";

export interface OpenedPostgresStorage {
  storage: Storage;
  checkpointer: StampingPostgresSaver;
}

/** Key of the advisory lock held while the schema is set up (any number no one else uses). */
const SCHEMA_SETUP_LOCK = 0x6c67_7470;

/**
 * Replicas start together, and neither `CREATE TABLE IF NOT EXISTS` nor the checkpointer's
 * migrations are safe to run side by side in PostgreSQL: one process at a time sets up.
 */
async function oneAtATime<T>(pool: pg.Pool, setUp: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [SCHEMA_SETUP_LOCK]);
    try {
      return await setUp();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [SCHEMA_SETUP_LOCK]);
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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const checkpointer = new StampingPostgresSaver(pool);
  try {
    const repositories = await oneAtATime(pool, async () => {
      await checkpointer.setup();
      return openRepositories(db, store);
    });
    // The checkpointer shares the pool, which destroying Kysely ends.
    return { storage: { ...repositories, close: () => db.destroy() }, checkpointer };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}
