// Our tables on any SQL dialect Kysely speaks: created when missing, then one repository each.
// SQLite and PostgreSQL storage differ only in how they connect (open-sqlite.ts, open-postgres.ts).
import { sql, type Kysely } from "kysely";
import { AssistantsRepository } from "./assistants-repository.ts";
import { CronsRepository } from "./crons-repository.ts";
import { RunEventsRepository } from "./run-events-repository.ts";
import { RunsRepository } from "./runs-repository.ts";
import { createTables, type Database } from "./schema.ts";
import type { StoreOptions } from "./item-store.ts";
import { SqlStore } from "./sql-store.ts";
import { StepLeasesRepository } from "./step-leases-repository.ts";
import { ThreadsRepository } from "./threads-repository.ts";
import type { Storage } from "./types.ts";

export async function openRepositories(db: Kysely<Database>, storeOptions: StoreOptions = {}): Promise<Omit<Storage, "close" | "oneAtATime">> {
  await createTables(db);
  // The event log declares its own table; Kysely's table map is invariant, hence the widening.
  const runEvents = await RunEventsRepository.open(db as Kysely<object>);
  return {
    threads: new ThreadsRepository(db),
    runs: new RunsRepository(db, runEvents),
    assistants: new AssistantsRepository(db),
    crons: new CronsRepository(db),
    runEvents,
    store: await SqlStore.open(db as Kysely<object>, storeOptions),
    stepLeases: await StepLeasesRepository.open(db as Kysely<object>),
    async ping() {
      await sql`select 1`.execute(db);
    },
  };
}
