// Cron records (spec §3.7). Temporal's Schedule `cron-<cron_id>` does the firing; this table is
// what search, count and the runs each fire submits read.
import { sql, type Kysely } from "kysely";
import type { Cron } from "../api-types.ts";
import type { AuthUser } from "../auth/caller.ts";
import { matchesAuthFilters } from "./auth-filter-sql.ts";
import { jsonContains } from "./json-containment.ts";
import { fromJson, toJson } from "./json-columns.ts";
import type { CronsTable, Database } from "./schema.ts";
import type { CronFilter, CronPatch, CronSearch, CronStore } from "./types.ts";

const PLAIN_COLUMNS = ["cron_id", "assistant_id", "thread_id", "user_id", "schedule", "timezone", "end_time", "on_run_completed",
  "next_run_date", "created_at", "updated_at"] as const;

function toRow(cron: CronPatch & Partial<Cron>): Partial<CronsTable> {
  const row: Partial<CronsTable> = {};
  for (const key of PLAIN_COLUMNS) if (cron[key] !== undefined) (row as Record<string, unknown>)[key] = cron[key];
  if (cron.payload !== undefined) row.payload = toJson(cron.payload);
  if (cron.metadata !== undefined) row.metadata = toJson(cron.metadata);
  if (cron.enabled !== undefined) row.enabled = cron.enabled ? 1 : 0;
  return row;
}

function fromRow(row: CronsTable): Cron {
  return {
    cron_id: row.cron_id,
    assistant_id: row.assistant_id,
    thread_id: row.thread_id,
    user_id: row.user_id,
    schedule: row.schedule,
    timezone: row.timezone,
    end_time: row.end_time,
    payload: fromJson(row.payload),
    metadata: fromJson(row.metadata),
    on_run_completed: row.on_run_completed as Cron["on_run_completed"],
    enabled: Number(row.enabled) === 1,
    next_run_date: row.next_run_date,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export class CronsRepository implements CronStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(cron: Cron, creator?: AuthUser): Promise<void> {
    await this.db.insertInto("crons").values({ ...toRow(cron), auth_user: creator ? toJson(creator) : null } as CronsTable).execute();
  }

  async creator(cronId: string): Promise<AuthUser | undefined> {
    const row = await this.db.selectFrom("crons").select("auth_user").where("cron_id", "=", cronId).executeTakeFirst();
    return row?.auth_user ? fromJson<AuthUser>(row.auth_user) : undefined;
  }

  async get(cronId: string, filter: CronFilter = {}): Promise<Cron | undefined> {
    const row = await this.filtered(filter).selectAll().where("cron_id", "=", cronId).executeTakeFirst();
    return row && (!filter.metadata || jsonContains(fromJson(row.metadata), filter.metadata)) ? fromRow(row) : undefined;
  }

  async update(cronId: string, patch: CronPatch): Promise<void> {
    const row = toRow(patch);
    if (Object.keys(row).length > 0) await this.db.updateTable("crons").set(row).where("cron_id", "=", cronId).execute();
  }

  async delete(cronId: string): Promise<boolean> {
    const result = await this.db.deleteFrom("crons").where("cron_id", "=", cronId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async search(query: CronSearch): Promise<{ items: Cron[]; total: number }> {
    // Nulls (a stateless cron's thread, a finished cron's next run) come last in either direction;
    // SQLite and PostgreSQL would each place them differently.
    const ordered = this.filtered(query)
      .orderBy(sql<number>`case when ${sql.ref(query.sortBy)} is null then 1 else 0 end`)
      .orderBy(query.sortBy, query.sortOrder)
      .orderBy("cron_id", query.sortOrder);
    if (!query.metadata) {
      const rows = await ordered.selectAll().limit(query.limit).offset(query.offset).execute();
      return { items: rows.map(fromRow), total: await this.count(query) };
    }
    // Containment is checked here: SQLite has no jsonb `@>` (as for threads).
    const matching = (await ordered.selectAll().execute()).filter((row) => jsonContains(fromJson(row.metadata), query.metadata));
    return { items: matching.slice(query.offset, query.offset + query.limit).map(fromRow), total: matching.length };
  }

  async count(filter: CronFilter): Promise<number> {
    if (filter.metadata) {
      const rows = await this.filtered(filter).select("metadata").execute();
      return rows.filter((row) => jsonContains(fromJson(row.metadata), filter.metadata)).length;
    }
    const { total } = await this.filtered(filter).select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    return Number(total);
  }

  private filtered(filter: CronFilter) {
    let query = this.db.selectFrom("crons");
    if (filter.assistantId !== undefined) query = query.where("assistant_id", "=", filter.assistantId);
    if (filter.threadId !== undefined) query = query.where("thread_id", "=", filter.threadId);
    if (filter.enabled !== undefined) query = query.where("enabled", "=", filter.enabled ? 1 : 0);
    if (filter.userId !== undefined) query = query.where("user_id", "=", filter.userId);
    if (filter.auth) query = query.where(matchesAuthFilters(this.db, "crons.metadata", filter.auth));
    return query;
  }
}
