import { sql, type Kysely } from "kysely";
import type { Assistant, JsonObject } from "../api-types.ts";
import type { AuthFilters } from "../auth/auth-filters.ts";
import { matchesAuthFilters } from "./auth-filter-sql.ts";
import { applyChanges, restoreVersion, versionOf } from "../assistants/assistant-changes.ts";
import { jsonContains } from "./json-containment.ts";
import { fromJson, toJson } from "./json-columns.ts";
import type { AssistantsTable, AssistantVersionsTable, Database } from "./schema.ts";
import type { AssistantChanges, AssistantFilter, AssistantSearch, AssistantStore, AssistantVersion, SetLatestResult } from "./types.ts";

function toRow(a: Assistant): AssistantsTable {
  return { ...a, config: toJson(a.config), context: toJson(a.context), metadata: toJson(a.metadata) };
}

function versionToRow(v: AssistantVersion): AssistantVersionsTable {
  return { ...v, config: toJson(v.config), context: toJson(v.context), metadata: toJson(v.metadata) };
}

function versionFromRow(row: AssistantVersionsTable): AssistantVersion {
  return {
    assistant_id: row.assistant_id,
    graph_id: row.graph_id,
    name: row.name,
    description: row.description,
    config: fromJson(row.config),
    context: fromJson(row.context),
    metadata: fromJson(row.metadata),
    version: row.version,
    created_at: row.created_at,
  };
}

/** An assistant is its latest version plus when it last changed. */
function fromRow(row: AssistantsTable): Assistant {
  return { ...versionFromRow(row), updated_at: row.updated_at };
}

/** `%`, `_` and the escape character itself match literally in a LIKE pattern. */
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, "\\$&");

export class AssistantsRepository implements AssistantStore {
  constructor(private readonly db: Kysely<Database>) {}

  async upsertSystem(assistant: Assistant): Promise<void> {
    await this.create(assistant);
  }

  async create(assistant: Assistant): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto("assistants")
        .values(toRow(assistant))
        .onConflict((oc) => oc.column("assistant_id").doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      await tx.insertInto("assistant_versions").values(versionToRow(versionOf(assistant))).execute();
      return true;
    });
  }

  async get(assistantId: string, auth?: AuthFilters): Promise<Assistant | undefined> {
    const row = await this.db
      .selectFrom("assistants")
      .selectAll()
      .where("assistant_id", "=", assistantId)
      .where(matchesAuthFilters(this.db, "assistants.metadata", auth))
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async search(query: AssistantSearch): Promise<{ items: Assistant[]; total: number }> {
    const order = query.sortOrder ?? "desc";
    const ordered = this.filtered(query)
      .orderBy(query.sortBy ?? "created_at", order)
      // Generated ids are uuid7, so ties keep creation order.
      .orderBy("assistant_id", order);
    if (!query.metadata) {
      const rows = await ordered.selectAll().limit(query.limit).offset(query.offset).execute();
      return { items: rows.map(fromRow), total: await this.count(query) };
    }
    // Only ids and metadata are read to filter; whole rows only for the page (issue 13).
    const matching = (await ordered.select(["assistant_id", "metadata"]).execute())
      .filter((row) => jsonContains(fromJson(row.metadata), query.metadata))
      .map((row) => row.assistant_id);
    const pageIds = matching.slice(query.offset, query.offset + query.limit);
    const rows = pageIds.length === 0 ? [] : await this.db.selectFrom("assistants").selectAll().where("assistant_id", "in", pageIds).execute();
    const byId = new Map(rows.map((row) => [row.assistant_id, fromRow(row)]));
    return { items: pageIds.flatMap((id) => byId.get(id) ?? []), total: matching.length };
  }

  async count(filter: AssistantFilter): Promise<number> {
    if (filter.metadata) {
      const rows = await this.filtered(filter).select("metadata").execute();
      return rows.filter((row) => jsonContains(fromJson(row.metadata), filter.metadata)).length;
    }
    const { total } = await this.filtered(filter)
      .select((eb) => eb.fn.countAll<number>().as("total"))
      .executeTakeFirstOrThrow();
    return Number(total);
  }

  async update(assistantId: string, changes: AssistantChanges, timestamp: string): Promise<Assistant | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom("assistants").selectAll().where("assistant_id", "=", assistantId).executeTakeFirst();
      if (!row) return undefined;
      // n+1 over every version ever written, not over the latest: after `setLatest(1)` on an
      // assistant with versions 1–3, the next change is version 4.
      const { highest } = await tx
        .selectFrom("assistant_versions")
        .select((eb) => eb.fn.max("version").as("highest"))
        .where("assistant_id", "=", assistantId)
        .executeTakeFirstOrThrow();
      const next = applyChanges(fromRow(row), changes, Number(highest ?? row.version) + 1, timestamp);
      await tx.insertInto("assistant_versions").values(versionToRow(versionOf(next))).execute();
      await tx.updateTable("assistants").set(toRow(next)).where("assistant_id", "=", assistantId).execute();
      return next;
    });
  }

  async setLatest(assistantId: string, version: number, timestamp: string): Promise<SetLatestResult> {
    return this.db.transaction().execute(async (tx): Promise<SetLatestResult> => {
      const row = await tx.selectFrom("assistants").selectAll().where("assistant_id", "=", assistantId).executeTakeFirst();
      if (!row) return { status: "assistant_missing" };
      const versionRow = await tx
        .selectFrom("assistant_versions")
        .selectAll()
        .where("assistant_id", "=", assistantId)
        .where("version", "=", version)
        .executeTakeFirst();
      if (!versionRow) return { status: "version_missing" };
      const assistant = restoreVersion(fromRow(row), versionFromRow(versionRow), timestamp);
      await tx.updateTable("assistants").set(toRow(assistant)).where("assistant_id", "=", assistantId).execute();
      return { status: "ok", assistant };
    });
  }

  async listVersions(assistantId: string, query: { limit: number; offset: number; metadata?: JsonObject }): Promise<AssistantVersion[]> {
    const ordered = this.db.selectFrom("assistant_versions").selectAll().where("assistant_id", "=", assistantId).orderBy("version", "desc");
    if (!query.metadata) {
      return (await ordered.limit(query.limit).offset(query.offset).execute()).map(versionFromRow);
    }
    const matching = (await ordered.execute()).map(versionFromRow).filter((v) => jsonContains(v.metadata, query.metadata));
    return matching.slice(query.offset, query.offset + query.limit);
  }

  async delete(assistantId: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom("assistant_versions").where("assistant_id", "=", assistantId).execute();
      const deleted = await tx.deleteFrom("assistants").where("assistant_id", "=", assistantId).executeTakeFirst();
      return Number(deleted.numDeletedRows) > 0;
    });
  }

  /** The filters every SQL dialect can apply; metadata containment is checked by the caller. */
  private filtered(filter: AssistantFilter) {
    let query = this.db.selectFrom("assistants");
    if (filter.auth) query = query.where(matchesAuthFilters(this.db, "assistants.metadata", filter.auth));
    if (filter.graphId !== undefined) query = query.where("graph_id", "=", filter.graphId);
    if (filter.name !== undefined) {
      // lower() on both sides: LIKE is case-insensitive in SQLite but not in PostgreSQL.
      const pattern = `%${escapeLike(filter.name.toLowerCase())}%`;
      query = query.where(sql<boolean>`lower(${sql.ref("name")}) like ${pattern} escape '\\'`);
    }
    return query;
  }
}
