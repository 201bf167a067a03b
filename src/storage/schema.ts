// Tables of the server's own records (LangGraph's checkpointer keeps its own tables beside them).
// Written with Kysely's schema builder so the same code creates them on SQLite and PostgreSQL.
import type { Kysely } from "kysely";
import type { RunEventsTable } from "./run-events-repository.ts";

/** JSON columns hold serialised text; repositories parse them. */
export interface ThreadsTable {
  thread_id: string;
  created_at: string;
  updated_at: string;
  state_updated_at: string;
  metadata: string;
  status: string;
  config: string;
  values: string | null;
  interrupts: string;
  /** ThreadTtl as JSON, null when the thread has none. */
  ttl: string | null;
  /** `updated_at` of the thread when its TTL last pruned it to its latest checkpoint. */
  ttl_swept_at: string | null;
}

export interface RunsTable {
  run_id: string;
  thread_id: string;
  assistant_id: string;
  created_at: string;
  updated_at: string;
  status: string;
  metadata: string;
  kwargs: string;
  multitask_strategy: string;
  cancel_reason: string | null;
  /** Final join body (spec §5.5), stored so every joiner gets the same answer. */
  result: string | null;
  started_at: string | null;
  ended_at: string | null;
  attempt: number;
}

export interface AssistantsTable {
  assistant_id: string;
  graph_id: string;
  name: string;
  description: string | null;
  config: string;
  context: string;
  metadata: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AssistantVersionsTable {
  assistant_id: string;
  version: number;
  graph_id: string;
  name: string;
  description: string | null;
  config: string;
  context: string;
  metadata: string;
  created_at: string;
}

export interface CronsTable {
  cron_id: string;
  assistant_id: string;
  /** Null for a stateless cron (each fire on a new thread). */
  thread_id: string | null;
  user_id: string | null;
  /** The creator as custom auth authenticated it (JSON), given to each fire's run; null without auth. */
  auth_user: string | null;
  schedule: string;
  timezone: string | null;
  end_time: string | null;
  /** The run body each fire submits, as JSON. */
  payload: string;
  metadata: string;
  on_run_completed: string | null;
  /** 1 or 0 (SQLite has no boolean). */
  enabled: number;
  next_run_date: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  threads: ThreadsTable;
  runs: RunsTable;
  assistants: AssistantsTable;
  assistant_versions: AssistantVersionsTable;
  crons: CronsTable;
  /** Created by the event log's own repository; named here so deletions can reach it. */
  run_events: RunEventsTable;
}

export async function createTables(db: Kysely<Database>): Promise<void> {
  await db.schema
    .createTable("threads")
    .ifNotExists()
    .addColumn("thread_id", "text", (c) => c.primaryKey())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("state_updated_at", "text", (c) => c.notNull())
    .addColumn("metadata", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("config", "text", (c) => c.notNull())
    .addColumn("values", "text")
    .addColumn("interrupts", "text", (c) => c.notNull())
    .addColumn("ttl", "text")
    .addColumn("ttl_swept_at", "text")
    .execute();
  // A database made before threads kept a ttl (or its sweep) gains the columns.
  const threads = (await db.introspection.getTables()).find((table) => table.name === "threads");
  for (const name of ["ttl", "ttl_swept_at"]) {
    if (!threads?.columns.some((column) => column.name === name)) await db.schema.alterTable("threads").addColumn(name, "text").execute();
  }
  await db.schema
    .createTable("runs")
    .ifNotExists()
    .addColumn("run_id", "text", (c) => c.primaryKey())
    .addColumn("thread_id", "text", (c) => c.notNull())
    .addColumn("assistant_id", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("metadata", "text", (c) => c.notNull())
    .addColumn("kwargs", "text", (c) => c.notNull())
    .addColumn("multitask_strategy", "text", (c) => c.notNull())
    .addColumn("cancel_reason", "text")
    .addColumn("result", "text")
    .addColumn("started_at", "text")
    .addColumn("ended_at", "text")
    .addColumn("attempt", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("runs_thread_created").ifNotExists().on("runs").columns(["thread_id", "created_at"]).execute();
  await db.schema
    .createTable("assistants")
    .ifNotExists()
    .addColumn("assistant_id", "text", (c) => c.primaryKey())
    .addColumn("graph_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("config", "text", (c) => c.notNull())
    .addColumn("context", "text", (c) => c.notNull())
    .addColumn("metadata", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("assistant_versions")
    .ifNotExists()
    .addColumn("assistant_id", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("graph_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("config", "text", (c) => c.notNull())
    .addColumn("context", "text", (c) => c.notNull())
    .addColumn("metadata", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("assistant_versions_pk", ["assistant_id", "version"])
    .execute();
  await db.schema
    .createTable("crons")
    .ifNotExists()
    .addColumn("cron_id", "text", (c) => c.primaryKey())
    .addColumn("assistant_id", "text", (c) => c.notNull())
    .addColumn("thread_id", "text")
    .addColumn("user_id", "text")
    .addColumn("auth_user", "text")
    .addColumn("schedule", "text", (c) => c.notNull())
    .addColumn("timezone", "text")
    .addColumn("end_time", "text")
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("metadata", "text", (c) => c.notNull())
    .addColumn("on_run_completed", "text")
    .addColumn("enabled", "integer", (c) => c.notNull())
    .addColumn("next_run_date", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  // A database made before crons kept their creator gains the column.
  const crons = (await db.introspection.getTables()).find((table) => table.name === "crons");
  if (!crons?.columns.some((column) => column.name === "auth_user")) await db.schema.alterTable("crons").addColumn("auth_user", "text").execute();
  await db.schema.createIndex("crons_thread").ifNotExists().on("crons").column("thread_id").execute();
  await db.schema.createIndex("crons_assistant").ifNotExists().on("crons").column("assistant_id").execute();
}
