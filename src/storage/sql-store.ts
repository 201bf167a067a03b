// LangGraph's BaseStore over our database (spec §3.9), for SQLite and PostgreSQL alike. The one
// store that graph nodes (config.store, getStore(), runtime.store) and the /store routes share.
// LangGraph ships no SQLite store, and its PostgresStore differs from the reference server where
// clients can tell (a prefix ["a"] also matches namespace "ab", max_depth drops namespaces instead
// of cutting them, a query without an index filters by full-text match, vectors need pgvector),
// so one implementation serves both databases with the reference server's semantics (README, "The store").
import { BaseStore, InvalidNamespaceError, type Item, type ListNamespacesOperation, type Operation, type OperationResults, type SearchItem } from "@langchain/langgraph-checkpoint";
import { type ExpressionBuilder, type Kysely, sql } from "kysely";
import { cosineSimilarity, textsToEmbed, type StoreIndex } from "../store/embeddings.ts";
import { matchesFilter } from "../store/item-filter.ts";
import type { ItemStore, PutOptions, ReadOptions, SearchOptions, StoreOptions } from "./item-store.ts";
import { joinNamespace, namespaceProblem, selectNamespaces, splitNamespace } from "../store/namespaces.ts";

export interface StoreItemsTable {
  /** Labels joined by "." (see store/namespaces.ts). */
  namespace: string;
  key: string;
  /** The value as JSON text. */
  value: string;
  created_at: string;
  updated_at: string;
  /** ISO time after which the item is gone for readers and the sweep deletes it; null: never. */
  expires_at: string | null;
  /** The item's time to live, kept so that a read can push `expires_at` out again. */
  ttl_minutes: number | null;
}

/** One embedding per indexed text of an item (several when a path selects several texts). */
export interface StoreVectorsTable {
  namespace: string;
  key: string;
  field: string;
  /** The vector as a JSON array. */
  embedding: string;
}

type Tables = {
  store_items: StoreItemsTable;
  store_vectors: StoreVectorsTable;
};

/** Rows read per round while a filter is applied. */
const SCAN_PAGE = 500;
/** A semantic search ranks at most this many texts (an item has one per indexed field), newest first: bounded work per request. */
const MAX_SEMANTIC_TEXTS = 10_000;

type Row = StoreItemsTable;
type Db = Kysely<Tables>;

export class SqlStore extends BaseStore implements ItemStore {
  private constructor(
    private readonly db: Db,
    private readonly options: StoreOptions,
  ) {
    super();
  }

  /** Creates the tables when missing (Kysely's schema builder: the same code on both databases). */
  static async open(db: Kysely<object>, options: StoreOptions = {}): Promise<SqlStore> {
    const store = db.withTables<Tables>();
    await store.schema
      .createTable("store_items")
      .ifNotExists()
      .addColumn("namespace", "text", (c) => c.notNull())
      .addColumn("key", "text", (c) => c.notNull())
      .addColumn("value", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text")
      .addColumn("ttl_minutes", "double precision")
      .addPrimaryKeyConstraint("store_items_pk", ["namespace", "key"])
      .execute();
    await store.schema.createIndex("store_items_expires_at").ifNotExists().on("store_items").column("expires_at").execute();
    await store.schema
      .createTable("store_vectors")
      .ifNotExists()
      .addColumn("namespace", "text", (c) => c.notNull())
      .addColumn("key", "text", (c) => c.notNull())
      .addColumn("field", "text", (c) => c.notNull())
      .addColumn("embedding", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("store_vectors_pk", ["namespace", "key", "field"])
      .execute();
    return new SqlStore(store, options);
  }

  /** LangGraph's entry point: graph nodes' get/put/delete/search/listNamespaces arrive here. */
  async batch<Op extends Operation[]>(operations: Op): Promise<OperationResults<Op>> {
    const results: unknown[] = [];
    for (const op of operations) {
      if ("namespacePrefix" in op) {
        results.push(await this.searchItems(op.namespacePrefix, { filter: op.filter, limit: op.limit ?? 10, offset: op.offset ?? 0, query: op.query }));
      } else if ("value" in op) {
        if (op.value === null) await this.deleteItem(op.namespace, op.key);
        else await this.putItem(op.namespace, op.key, op.value, { index: op.index });
        results.push(undefined);
      } else if ("key" in op) {
        results.push(await this.getItem(op.namespace, op.key));
      } else {
        results.push(await this.namespaces(op));
      }
    }
    return results as OperationResults<Op>;
  }

  async putItem(namespace: string[], key: string, value: Record<string, unknown>, options: PutOptions = {}): Promise<void> {
    checkNamespace(namespace);
    const joined = joinNamespace(namespace);
    // Embedded before anything is written: a failing embedding leaves the store as it was.
    const vectors = await this.embed(value, options.index);
    const now = new Date();
    const ttl = options.ttl === undefined ? (this.options.ttl?.defaultTtlMinutes ?? null) : options.ttl;
    const changes = { value: JSON.stringify(value), updated_at: now.toISOString(), expires_at: expiry(now, ttl), ttl_minutes: ttl };
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto("store_items")
        .values({ namespace: joined, key, created_at: changes.updated_at, ...changes })
        .onConflict((conflict) => conflict.columns(["namespace", "key"]).doUpdateSet(changes))
        .execute();
      if (!vectors) return;
      await tx.deleteFrom("store_vectors").where("namespace", "=", joined).where("key", "=", key).execute();
      if (vectors.length > 0) await tx.insertInto("store_vectors").values(vectors.map((v) => ({ namespace: joined, key, ...v }))).execute();
    });
  }

  async getItem(namespace: string[], key: string, options: ReadOptions = {}): Promise<Item | null> {
    checkNamespace(namespace);
    const now = new Date();
    const row = await this.db
      .selectFrom("store_items")
      .selectAll()
      .where("namespace", "=", joinNamespace(namespace))
      .where("key", "=", key)
      .where(alive(now))
      .executeTakeFirst();
    if (!row) return null;
    await this.refresh([row], now, options.refreshTtl);
    return toItem(row);
  }

  async deleteItem(namespace: string[], key: string): Promise<void> {
    checkNamespace(namespace);
    const joined = joinNamespace(namespace);
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom("store_vectors").where("namespace", "=", joined).where("key", "=", key).execute();
      await tx.deleteFrom("store_items").where("namespace", "=", joined).where("key", "=", key).execute();
    });
  }

  async searchItems(namespacePrefix: string[], options: SearchOptions): Promise<SearchItem[]> {
    if (namespacePrefix.length > 0) checkNamespace(namespacePrefix);
    const now = new Date();
    const page = options.query && this.options.index
      ? await this.rankedPage(namespacePrefix, options, options.query, this.options.index, now)
      : await this.orderedPage(namespacePrefix, options, now);
    await this.refresh(page.map(({ row }) => row), now, options.refreshTtl);
    return page.map(({ row, score }) => (score === undefined ? toItem(row) : { ...toItem(row), score }));
  }

  async sweepExpired(now = new Date()): Promise<number> {
    const cutoff = now.toISOString();
    return this.db.transaction().execute(async (tx) => {
      await tx
        .deleteFrom("store_vectors")
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom("store_items")
              .select("store_items.key")
              .whereRef("store_items.namespace", "=", "store_vectors.namespace")
              .whereRef("store_items.key", "=", "store_vectors.key")
              .where("store_items.expires_at", "<=", cutoff),
          ),
        )
        .execute();
      const result = await tx.deleteFrom("store_items").where("expires_at", "<=", cutoff).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }

  /** Newest change first (LangGraph Platform's order); the filter is applied here, page by page. */
  private async orderedPage(prefix: string[], { filter, limit, offset }: SearchOptions, now: Date): Promise<Array<{ row: Row; score?: number }>> {
    const ordered = this.db
      .selectFrom("store_items")
      .selectAll()
      .where(alive(now))
      .where(under(prefix))
      .orderBy("updated_at", "desc")
      .orderBy("namespace")
      .orderBy("key");
    if (!filter || Object.keys(filter).length === 0) return (await ordered.limit(limit).offset(offset).execute()).map((row) => ({ row }));
    const matched: Row[] = [];
    for (let scanned = 0; matched.length < offset + limit; scanned += SCAN_PAGE) {
      const rows = await ordered.limit(SCAN_PAGE).offset(scanned).execute();
      matched.push(...rows.filter((row) => matchesFilter(JSON.parse(row.value), filter)));
      if (rows.length < SCAN_PAGE) break;
    }
    return matched.slice(offset, offset + limit).map((row) => ({ row }));
  }

  /** Most similar first (best of an item's texts, cosine); items without vectors after them. */
  private async rankedPage(prefix: string[], { filter, limit, offset }: SearchOptions, query: string, index: StoreIndex, now: Date) {
    const wanted = await index.embeddings.embedQuery(query);
    const rows = await this.db
      .selectFrom("store_items")
      .leftJoin("store_vectors", (join) =>
        join.onRef("store_vectors.namespace", "=", "store_items.namespace").onRef("store_vectors.key", "=", "store_items.key"),
      )
      .selectAll("store_items")
      .select("store_vectors.embedding")
      .where(alive(now))
      .where(under(prefix, "store_items.namespace"))
      .orderBy("store_items.updated_at", "desc")
      .orderBy("store_items.namespace")
      .orderBy("store_items.key")
      .limit(MAX_SEMANTIC_TEXTS)
      .execute();
    const best = new Map<string, { row: Row; score?: number }>();
    for (const { embedding, ...row } of rows) {
      const id = `${row.namespace}\0${row.key}`;
      const entry = best.get(id) ?? { row };
      if (embedding !== null) entry.score = Math.max(entry.score ?? -Infinity, cosineSimilarity(wanted, JSON.parse(embedding)));
      best.set(id, entry);
    }
    const ranked = [...best.values()]
      .filter(({ row }) => matchesFilter(JSON.parse(row.value), filter))
      .sort((a, b) => (a.score === undefined ? (b.score === undefined ? 0 : 1) : b.score === undefined ? -1 : b.score - a.score));
    return ranked.slice(offset, offset + limit);
  }

  private async namespaces(op: ListNamespacesOperation): Promise<string[][]> {
    const fixedPrefix = op.matchConditions?.find((c) => c.matchType === "prefix" && !c.path.includes("*"));
    const rows = await this.db
      .selectFrom("store_items")
      .select("namespace")
      .distinct()
      .where(alive(new Date()))
      .where(under(fixedPrefix?.path ?? []))
      .execute();
    return selectNamespaces(rows.map((row) => splitNamespace(row.namespace)), op);
  }

  /** The vectors to keep for a value: undefined when the store has no index (nothing to change). */
  private async embed(value: Record<string, unknown>, paths: PutOptions["index"]): Promise<Array<{ field: string; embedding: string }> | undefined> {
    const index = this.options.index;
    if (!index) return undefined;
    if (paths === false) return [];
    const texts = textsToEmbed(value, paths ?? index.fields);
    if (texts.length === 0) return [];
    const vectors = await index.embeddings.embedDocuments(texts.map(({ text }) => text));
    return texts.map(({ field }, i) => {
      const vector = vectors[i];
      if (!Array.isArray(vector) || vector.length !== index.dims) {
        throw new Error(`store.index.embed returned a vector of ${vector?.length ?? 0} dimensions for "${field}"; store.index.dims is ${index.dims}`);
      }
      return { field, embedding: JSON.stringify(vector) };
    });
  }

  /** Pushes the expiry of items that have a ttl out again (`refresh_on_read`, spec §3.9). */
  private async refresh(rows: Row[], now: Date, requested: boolean | undefined): Promise<void> {
    if (!(requested ?? this.options.ttl?.refreshOnRead ?? true)) return;
    // One statement per distinct ttl (usually one: the default), not one per item read.
    const byTtl = new Map<number, Row[]>();
    for (const row of rows) if (row.ttl_minutes !== null) byTtl.set(row.ttl_minutes, [...(byTtl.get(row.ttl_minutes) ?? []), row]);
    for (const [ttl, group] of byTtl) {
      await this.db
        .updateTable("store_items")
        .set({ expires_at: expiry(now, ttl) })
        .where((eb) => eb(eb.refTuple("namespace", "key"), "in", group.map((row) => eb.tuple(row.namespace, row.key))))
        .execute();
    }
  }
}

function checkNamespace(namespace: string[]): void {
  if (namespace.length === 0) throw new InvalidNamespaceError("Namespace cannot be empty.");
  const problem = namespaceProblem(namespace);
  if (problem) throw new InvalidNamespaceError(problem);
}

const expiry = (now: Date, minutes: number | null): string | null =>
  minutes === null ? null : new Date(now.getTime() + minutes * 60_000).toISOString();

/** Not expired at `now` (ISO strings of one format compare as times). */
const alive = (now: Date) => (eb: ExpressionBuilder<Tables, "store_items">) =>
  eb.or([eb("store_items.expires_at", "is", null), eb("store_items.expires_at", ">", now.toISOString())]);

/** In the namespace or below it, label-wise: ["a"] covers "a" and "a.b", not "ab". */
const under = (prefix: string[], column: "namespace" | "store_items.namespace" = "namespace") => (eb: ExpressionBuilder<Tables, "store_items">) => {
  if (prefix.length === 0) return eb.lit(true);
  const joined = joinNamespace(prefix);
  // substr counts characters, as a spread string does (not UTF-16 units, as .length does).
  const length = [...joined].length + 1;
  return eb.or([eb(column, "=", joined), sql<boolean>`substr(${sql.ref(column)}, 1, ${length}) = ${`${joined}.`}`]);
};

function toItem(row: Row): Item {
  return {
    namespace: splitNamespace(row.namespace),
    key: row.key,
    value: JSON.parse(row.value) as Record<string, unknown>,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
