import { EventEmitter } from "node:events";
import type { Kysely } from "kysely";
import { INFLIGHT_STATUSES, type MultitaskStrategy, type RunStatus, type StoredRun } from "../api-types.ts";
import type { AuthFilters } from "../auth/auth-filters.ts";
import { matchesAuthFilters } from "./auth-filter-sql.ts";
import { fromJson, toJson } from "./json-columns.ts";
import type { Database, RunsTable } from "./schema.ts";
import type { RunEventsRepository } from "./run-events-repository.ts";
import type { RunListOptions, RunPatch, RunStore } from "./types.ts";

function toRow(run: Partial<StoredRun>): Partial<RunsTable> {
  const row: Partial<RunsTable> = {};
  for (const key of ["run_id", "thread_id", "assistant_id", "created_at", "updated_at", "status", "multitask_strategy",
    "cancel_reason", "started_at", "ended_at", "attempt"] as const) {
    if (run[key] !== undefined) (row as Record<string, unknown>)[key] = run[key];
  }
  if (run.metadata !== undefined) row.metadata = toJson(run.metadata);
  if (run.kwargs !== undefined) row.kwargs = toJson(run.kwargs);
  if (run.result !== undefined) row.result = toJson(run.result);
  return row;
}

function fromRow(row: RunsTable): StoredRun {
  return {
    run_id: row.run_id,
    thread_id: row.thread_id,
    assistant_id: row.assistant_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    status: row.status as RunStatus,
    metadata: fromJson(row.metadata),
    kwargs: fromJson(row.kwargs),
    multitask_strategy: row.multitask_strategy as MultitaskStrategy,
    cancel_reason: row.cancel_reason,
    result: fromJson(row.result),
    started_at: row.started_at,
    ended_at: row.ended_at,
    attempt: row.attempt,
  };
}

export class RunsRepository implements RunStore {
  private readonly ended = new EventEmitter().setMaxListeners(0);

  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: RunEventsRepository,
  ) {}

  async insert(run: StoredRun): Promise<void> {
    await this.db.insertInto("runs").values(toRow(run) as RunsTable).execute();
  }

  async get(runId: string): Promise<StoredRun | undefined> {
    const row = await this.db.selectFrom("runs").selectAll().where("run_id", "=", runId).executeTakeFirst();
    return row && fromRow(row);
  }

  async listForThread(threadId: string, { limit, offset, status }: RunListOptions): Promise<StoredRun[]> {
    let query = this.db.selectFrom("runs").selectAll().where("thread_id", "=", threadId);
    if (status) query = query.where("status", "=", status);
    const rows = await query.orderBy("created_at", "desc").orderBy("run_id", "desc").limit(limit).offset(offset).execute();
    return rows.map(fromRow);
  }

  async update(runId: string, patch: RunPatch): Promise<void> {
    await this.db.updateTable("runs").set(toRow(patch)).where("run_id", "=", runId).execute();
  }

  async updateIfUnchanged(run: Pick<StoredRun, "run_id" | "thread_id" | "status">, patch: RunPatch, finalEvent?: { event: string; data: string }): Promise<boolean> {
    const written = await this.db.transaction().execute(async (tx) => {
      const updated = await tx.updateTable("runs").set(toRow(patch)).where("run_id", "=", run.run_id).where("status", "=", run.status).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return false;
      if (finalEvent) await this.events.appendInTransaction(tx as unknown as Kysely<object>, run.run_id, run.thread_id, finalEvent.event, finalEvent.data);
      return true;
    });
    if (written && finalEvent) this.events.announce(run.run_id);
    return written;
  }

  announceEnd(runId: string): void {
    this.ended.emit(runId);
  }

  watchEnd(runId: string, listener: () => void): () => void {
    this.ended.once(runId, listener);
    return () => this.ended.off(runId, listener);
  }

  /** A run goes with its event log. */
  async delete(runId: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom("run_events").where("run_id", "=", runId).execute();
      await tx.deleteFrom("runs").where("run_id", "=", runId).execute();
    });
  }

  async inflightForThread(threadId: string): Promise<StoredRun[]> {
    const rows = await this.db
      .selectFrom("runs")
      .selectAll()
      .where("thread_id", "=", threadId)
      .where("status", "in", INFLIGHT_STATUSES)
      .orderBy("created_at", "asc")
      .execute();
    return rows.map(fromRow);
  }

  async inflightEverywhere(threadAuth?: AuthFilters): Promise<StoredRun[]> {
    let query = this.db.selectFrom("runs").selectAll().where("status", "in", INFLIGHT_STATUSES);
    if (threadAuth) {
      const visible = this.db.selectFrom("threads").select("threads.thread_id").where(matchesAuthFilters(this.db, "threads.metadata", threadAuth));
      query = query.where("runs.thread_id", "in", visible);
    }
    const rows = await query.orderBy("created_at", "asc").execute();
    return rows.map(fromRow);
  }

  async inflightForAssistant(assistantId: string): Promise<StoredRun[]> {
    const rows = await this.db
      .selectFrom("runs")
      .selectAll()
      .where("assistant_id", "=", assistantId)
      .where("status", "in", INFLIGHT_STATUSES)
      .orderBy("created_at", "asc")
      .execute();
    return rows.map(fromRow);
  }

  async deleteForAssistant(assistantId: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const runIds = tx.selectFrom("runs").select("run_id").where("assistant_id", "=", assistantId);
      await tx.deleteFrom("run_events").where("run_id", "in", runIds).execute();
      await tx.deleteFrom("runs").where("assistant_id", "=", assistantId).execute();
    });
  }
}
