// The embedded default: one SQLite file holds our tables and LangGraph's checkpoints.
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { openRepositories } from "./repositories.ts";
import { reusePreparedStatements } from "./prepared-statements.ts";
import type { Database } from "./schema.ts";
import { StampingSqliteSaver } from "./stamping-checkpointer.ts";
import type { StoreOptions } from "./item-store.ts";
import type { Storage } from "./types.ts";

export interface OpenedSqliteStorage {
  storage: Storage;
  checkpointer: StampingSqliteSaver;
}

function connect(file: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(file);
  // API and worker processes share the file: WAL lets readers run beside one writer,
  // and the busy timeout makes a writer wait for the lock instead of failing.
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 10000");
  db.pragma("synchronous = NORMAL");
  reusePreparedStatements(db);
  return db;
}

export async function openSqliteStorage(dataDir: string, store: StoreOptions = {}): Promise<OpenedSqliteStorage> {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "langgraph.sqlite");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connect(file) }) });
  const checkpointDb = connect(file);
  const checkpointer = new StampingSqliteSaver(checkpointDb);
  const storage: Storage = {
    ...(await openRepositories(db, store)),
    // SQLite is the single-machine default (`dev`: one API process), where no replicas race.
    oneAtATime: (_lock, work) => work(),
    async close() {
      await db.destroy();
      checkpointDb.close();
    },
  };
  return { storage, checkpointer };
}
