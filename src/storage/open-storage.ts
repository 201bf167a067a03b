// One database for threads, assistants, runs and checkpoints (design "Decisions"): SQLite in
// the data folder by default, PostgreSQL when DATABASE_URL names one.
import type { Settings } from "../settings.ts";
import type { StoreOptions } from "./item-store.ts";
import { openPostgresStorage } from "./open-postgres.ts";
import { openSqliteStorage } from "./open-sqlite.ts";
import type { RunCheckpointer } from "./stamping-checkpointer.ts";
import type { Storage } from "./types.ts";

export interface OpenedStorage {
  storage: Storage;
  checkpointer: RunCheckpointer;
}

/** `store`: the semantic index and TTLs of the store, from langgraph.json. */
export function openStorage(settings: Pick<Settings, "dataDir" | "databaseUrl">, store: StoreOptions = {}): Promise<OpenedStorage> {
  return settings.databaseUrl ? openPostgresStorage(settings.databaseUrl, store) : openSqliteStorage(settings.dataDir, store);
}
