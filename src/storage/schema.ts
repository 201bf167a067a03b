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

export interface Database {
  threads: ThreadsTable;
  runs: RunsTable;
  assistants: AssistantsTable;
  assistant_versions: AssistantVersionsTable;
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
    .execute();
  // A database made before threads kept a ttl gains the column.
  const threads = (await db.introspection.getTables()).find((table) => table.name === "threads");
  if (!threads?.columns.some((column) => column.name === "ttl")) await db.schema.alterTable("threads").addColumn("ttl", "text").execute();
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
}
