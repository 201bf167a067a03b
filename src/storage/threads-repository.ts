import type { Kysely } from "kysely";
import type { Thread, ThreadStatus } from "../api-types.ts";
import { fromJson, toJson } from "./json-columns.ts";
import type { Database, ThreadsTable } from "./schema.ts";
import type { ThreadStore } from "./types.ts";

function toRow(thread: Partial<Thread>): Partial<ThreadsTable> {
  const row: Partial<ThreadsTable> = {};
  if (thread.thread_id !== undefined) row.thread_id = thread.thread_id;
  if (thread.created_at !== undefined) row.created_at = thread.created_at;
  if (thread.updated_at !== undefined) row.updated_at = thread.updated_at;
  if (thread.state_updated_at !== undefined) row.state_updated_at = thread.state_updated_at;
  if (thread.status !== undefined) row.status = thread.status;
  if (thread.metadata !== undefined) row.metadata = toJson(thread.metadata);
  if (thread.config !== undefined) row.config = toJson(thread.config);
  if (thread.values !== undefined) row.values = thread.values === null ? null : toJson(thread.values);
  if (thread.interrupts !== undefined) row.interrupts = toJson(thread.interrupts);
  return row;
}

function fromRow(row: ThreadsTable): Thread {
  return {
    thread_id: row.thread_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    state_updated_at: row.state_updated_at,
    metadata: fromJson(row.metadata),
    status: row.status as ThreadStatus,
    config: fromJson(row.config),
    values: fromJson(row.values),
    interrupts: fromJson(row.interrupts),
  };
}

export class ThreadsRepository implements ThreadStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(thread: Thread): Promise<boolean> {
    const result = await this.db
      .insertInto("threads")
      .values(toRow(thread) as ThreadsTable)
      .onConflict((oc) => oc.column("thread_id").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async get(threadId: string): Promise<Thread | undefined> {
    const row = await this.db.selectFrom("threads").selectAll().where("thread_id", "=", threadId).executeTakeFirst();
    return row && fromRow(row);
  }

  async update(threadId: string, patch: Partial<Omit<Thread, "thread_id" | "created_at">>): Promise<void> {
    await this.db.updateTable("threads").set(toRow(patch)).where("thread_id", "=", threadId).execute();
  }

  async delete(threadId: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom("runs").where("thread_id", "=", threadId).execute();
      await tx.deleteFrom("threads").where("thread_id", "=", threadId).execute();
    });
  }
}
