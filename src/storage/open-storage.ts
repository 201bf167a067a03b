// One database for threads, assistants, runs and checkpoints (design "Decisions"): SQLite in
// the data folder by default, PostgreSQL when DATABASE_URL names one.
import type { Settings } from "../settings.ts";
import { openPostgresStorage } from "./open-postgres.ts";
import { openSqliteStorage } from "./open-sqlite.ts";
import type { RunCheckpointer } from "./stamping-checkpointer.ts";
import type { Storage } from "./types.ts";

export interface OpenedStorage {
  storage: Storage;
  checkpointer: RunCheckpointer;
}

export function openStorage(settings: Pick<Settings, "dataDir" | "databaseUrl">): Promise<OpenedStorage> {
  return settings.databaseUrl ? openPostgresStorage(settings.databaseUrl) : openSqliteStorage(settings.dataDir);
}
