import type { Kysely } from "kysely";
import type { Assistant } from "../api-types.ts";
import { fromJson, toJson } from "./json-columns.ts";
import type { AssistantsTable, Database } from "./schema.ts";
import type { AssistantSearch, AssistantStore } from "./types.ts";

function toRow(a: Assistant): AssistantsTable {
  return { ...a, config: toJson(a.config), context: toJson(a.context), metadata: toJson(a.metadata) };
}

function fromRow(row: AssistantsTable): Assistant {
  return { ...row, config: fromJson(row.config), context: fromJson(row.context), metadata: fromJson(row.metadata) };
}

export class AssistantsRepository implements AssistantStore {
  constructor(private readonly db: Kysely<Database>) {}

  async upsertSystem(assistant: Assistant): Promise<void> {
    const row = toRow(assistant);
    await this.db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto("assistants")
        .values(row)
        .onConflict((oc) => oc.column("assistant_id").doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return;
      const { updated_at: _updatedAt, ...version } = row;
      await tx.insertInto("assistant_versions").values(version).execute();
    });
  }

  async get(assistantId: string): Promise<Assistant | undefined> {
    const row = await this.db.selectFrom("assistants").selectAll().where("assistant_id", "=", assistantId).executeTakeFirst();
    return row && fromRow(row);
  }

  async search({ graphId, limit, offset }: AssistantSearch): Promise<{ items: Assistant[]; total: number }> {
    let query = this.db.selectFrom("assistants");
    if (graphId !== undefined) query = query.where("graph_id", "=", graphId);
    const rows = await query.selectAll().orderBy("created_at", "desc").orderBy("assistant_id").limit(limit).offset(offset).execute();
    const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    return { items: rows.map(fromRow), total: Number(total) };
  }
}
