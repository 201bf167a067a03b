import { sql, type Kysely } from "kysely";
import { INFLIGHT_STATUSES, type RunStatus, type Thread, type ThreadStatus } from "../api-types.ts";
import type { AuthFilters } from "../auth/auth-filters.ts";
import { matchesAuthFilters } from "./auth-filter-sql.ts";
import { jsonContains } from "./json-containment.ts";
import { fromJson, toJson } from "./json-columns.ts";
import type { Database, ThreadsTable } from "./schema.ts";
import type { ExpiredThread, ThreadFilter, ThreadPatch, ThreadRunFacts, ThreadSearch, ThreadStore, ThreadTtl } from "./types.ts";

function toRow(thread: ThreadPatch & Partial<Thread>): Partial<ThreadsTable> {
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
  if (thread.ttl !== undefined) row.ttl = thread.ttl === null ? null : toJson(thread.ttl);
  return row;
}

function fromRow(row: Omit<ThreadsTable, "ttl" | "ttl_swept_at">): Thread {
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

/** Threads whose JSON a filtered search reads at a time. */
const SCAN_BATCH = 64;

/** The columns a client sees; `ttl` is kept beside them. */
const THREAD_COLUMNS = [
  "thread_id", "created_at", "updated_at", "state_updated_at", "metadata", "status", "config", "values", "interrupts",
] as const;

export class ThreadsRepository implements ThreadStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(thread: Thread, ttl?: ThreadTtl): Promise<boolean> {
    const result = await this.db
      .insertInto("threads")
      .values(toRow({ ...thread, ttl: ttl ?? null }) as ThreadsTable)
      .onConflict((oc) => oc.column("thread_id").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async get(threadId: string, auth?: AuthFilters): Promise<Thread | undefined> {
    const row = await this.db
      .selectFrom("threads")
      .select(THREAD_COLUMNS)
      .where("thread_id", "=", threadId)
      .where(matchesAuthFilters(this.db, "threads.metadata", auth))
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async update(threadId: string, patch: ThreadPatch): Promise<void> {
    await this.db.updateTable("threads").set(toRow(patch)).where("thread_id", "=", threadId).execute();
  }

  async updateStatus(threadId: string, statusOf: (runs: ThreadRunFacts) => ThreadStatus, patch: ThreadPatch = {}): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      // A write first: it locks the row (PostgreSQL) or the database (SQLite) before the runs are read.
      const locked = await tx.updateTable("threads").set((eb) => ({ status: eb.ref("status") })).where("thread_id", "=", threadId).executeTakeFirst();
      if (Number(locked.numUpdatedRows) === 0) return;
      const runs = tx.selectFrom("runs").where("thread_id", "=", threadId);
      const [inflight, lastEnded] = await Promise.all([
        runs.select("run_id").where("status", "in", INFLIGHT_STATUSES).limit(1).executeTakeFirst(),
        runs.select("status").where("ended_at", "is not", null).orderBy("ended_at", "desc").limit(1).executeTakeFirst(),
      ]);
      const status = statusOf({ hasInflightRun: inflight !== undefined, lastEndedStatus: lastEnded?.status as RunStatus | undefined });
      await tx.updateTable("threads").set(toRow({ ...patch, status })).where("thread_id", "=", threadId).execute();
    });
  }

  async delete(threadId: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom("run_events").where("thread_id", "=", threadId).execute();
      await tx.deleteFrom("runs").where("thread_id", "=", threadId).execute();
      await tx.deleteFrom("threads").where("thread_id", "=", threadId).execute();
    });
  }

  async search(query: ThreadSearch): Promise<{ items: Thread[]; total: number }> {
    const ordered = this.filtered(query)
      .orderBy(query.sortBy, query.sortOrder)
      // uuid7 ids follow creation order, so ties keep a stable, meaningful order.
      .orderBy("thread_id", query.sortOrder);
    if (!query.metadata && !query.values) {
      const rows = await ordered.select(THREAD_COLUMNS).limit(query.limit).offset(query.offset).execute();
      return { items: rows.map(fromRow), total: await this.count(query) };
    }
    const matching = await this.matchingIds(ordered, query);
    const pageIds = matching.slice(query.offset, query.offset + query.limit);
    if (pageIds.length === 0) return { items: [], total: matching.length };
    const rows = await this.db.selectFrom("threads").select(THREAD_COLUMNS).where("thread_id", "in", pageIds).execute();
    const byId = new Map(rows.map((row) => [row.thread_id, fromRow(row)]));
    return { items: pageIds.flatMap((id) => byId.get(id) ?? []), total: matching.length };
  }

  async count(filter: ThreadFilter): Promise<number> {
    const query = this.filtered(filter);
    if (!filter.metadata && !filter.values) {
      const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
      return Number(total);
    }
    return (await this.matchingIds(query, filter)).length;
  }

  async ttl(threadId: string): Promise<ThreadTtl | null> {
    const row = await this.db.selectFrom("threads").select("ttl").where("thread_id", "=", threadId).executeTakeFirst();
    return row ? fromJson<ThreadTtl | null>(row.ttl) : null;
  }

  async expired(at: Date, defaultTtl: ThreadTtl | null, limit: number): Promise<ExpiredThread[]> {
    const notSwept = (query: ReturnType<ThreadsRepository["filtered"]>) =>
      query.where((eb) => eb.or([eb("ttl_swept_at", "is", null), eb("ttl_swept_at", "!=", eb.ref("updated_at"))]));
    // Own TTLs differ per thread: read and compared here (ISO text, so no dialect's date functions).
    const own = await notSwept(this.filtered({})).select(["thread_id", "updated_at", "ttl"]).where("ttl", "is not", null).execute();
    const expired = own.flatMap((row) => {
      const ttl = fromJson<ThreadTtl>(row.ttl);
      return isPast(row.updated_at, ttl.ttl, at) ? [{ threadId: row.thread_id, strategy: ttl.strategy, updatedAt: row.updated_at }] : [];
    });
    if (defaultTtl) {
      // One TTL for all the others: a plain comparison of the ISO timestamps.
      const cutoff = new Date(at.getTime() - defaultTtl.ttl * 60_000).toISOString();
      const rows = await notSwept(this.filtered({})).select(["thread_id", "updated_at"]).where("ttl", "is", null)
        .where("updated_at", "<", cutoff).orderBy("updated_at").limit(limit).execute();
      expired.push(...rows.map((row) => ({ threadId: row.thread_id, strategy: defaultTtl.strategy, updatedAt: row.updated_at })));
    }
    return expired.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)).slice(0, limit);
  }

  async dropRunHistory(threadId: string, updatedAt: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const ended = tx.selectFrom("runs").select("run_id").where("thread_id", "=", threadId).where("status", "not in", INFLIGHT_STATUSES);
      await tx.deleteFrom("run_events").where("thread_id", "=", threadId).where("run_id", "in", ended).execute();
      await tx.deleteFrom("runs").where("thread_id", "=", threadId).where("status", "not in", INFLIGHT_STATUSES).execute();
      await tx.updateTable("threads").set({ ttl_swept_at: updatedAt }).where("thread_id", "=", threadId).execute();
    });
  }

  /** The filters every SQL dialect can apply. */
  private filtered(filter: ThreadFilter) {
    let query = this.db.selectFrom("threads");
    if (filter.status !== undefined) query = query.where("status", "=", filter.status);
    // An empty id list filters nothing (as the JS server does).
    if (filter.ids?.length) query = query.where("thread_id", "in", filter.ids);
    if (filter.auth) query = query.where(matchesAuthFilters(this.db, "threads.metadata", filter.auth));
    return query;
  }

  /**
   * Ids of the threads whose JSON matches, in the query's order. Containment is checked here
   * rather than in SQL: SQLite has no jsonb `@>` (a PostgreSQL store would push it down).
   * Rows are read a batch at a time, and `values` only when filtered on (issue 13: a search
   * over many threads with large states must not hold them all in memory).
   */
  private async matchingIds(query: ReturnType<ThreadsRepository["filtered"]>, filter: ThreadFilter): Promise<string[]> {
    const ids = (await query.select("thread_id").execute()).map((row) => row.thread_id);
    const matching: string[] = [];
    for (let start = 0; start < ids.length; start += SCAN_BATCH) {
      const batch = ids.slice(start, start + SCAN_BATCH);
      const rows = await this.db
        .selectFrom("threads")
        .select(["thread_id", "metadata"])
        .$if(filter.values !== undefined, (q) => q.select("values"))
        .where("thread_id", "in", batch)
        .execute();
      const hits = new Set(rows
        .filter((row) => (!filter.metadata || jsonContains(fromJson(row.metadata), filter.metadata))
          && (!filter.values || jsonContains(fromJson(row.values ?? null), filter.values)))
        .map((row) => row.thread_id));
      matching.push(...batch.filter((id) => hits.has(id)));
    }
    return matching;
  }

  async idsForAssistant(assistantId: string, auth?: AuthFilters): Promise<string[]> {
    // Metadata is stored as JSON.stringify output, so the pair appears verbatim in the text of
    // every match; the LIKE narrows the scan portably and the parse below makes it exact.
    const pair = `${JSON.stringify("assistant_id")}:${JSON.stringify(assistantId)}`.replace(/[\\%_]/g, "\\$&");
    const rows = await this.db
      .selectFrom("threads")
      .select(["thread_id", "metadata"])
      .where(sql<boolean>`${sql.ref("metadata")} like ${`%${pair}%`} escape '\\'`)
      .where(matchesAuthFilters(this.db, "threads.metadata", auth))
      .execute();
    return rows.filter((row) => fromJson<Record<string, unknown>>(row.metadata)?.assistant_id === assistantId).map((row) => row.thread_id);
  }
}

function isPast(updatedAt: string, ttlMinutes: number, at: Date): boolean {
  return new Date(updatedAt).getTime() + ttlMinutes * 60_000 <= at.getTime();
}
