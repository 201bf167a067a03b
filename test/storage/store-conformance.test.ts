// The store (spec §3.9, issue 12) on both databases behind `openStorage`: items, search with
// filters and pagination, namespace listings, semantic search, TTLs and the sweep, and a graph
// whose nodes share the store across threads. Each test gets a fresh, empty database.
import { setTimeout as sleep } from "node:timers/promises";
import { Annotation, StateGraph, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { openStorage, type OpenedStorage } from "../../src/storage/open-storage.ts";
import type { StoreOptions } from "../../src/storage/item-store.ts";
import { embed, embedText, DIMS } from "../fixtures/graphs/embed.ts";
import { BACKENDS, type Backend } from "../helpers/storage-backends.ts";

const INDEX: StoreOptions["index"] = {
  dims: DIMS,
  fields: ["text"],
  embeddings: { embedDocuments: embed, embedQuery: async (text) => embedText(text) },
};

for (const backend of BACKENDS) describe(`${backend.name} store`, () => {
  let started: ReturnType<Backend["start"]> | undefined;
  const database = () => (started ??= backend.start());
  let opened: OpenedStorage | undefined;
  const open = async (options: StoreOptions = {}) => (opened = await openStorage(await (await database()).fresh(), options));

  afterEach(async () => opened?.storage.close());
  afterAll(async () => (await started?.catch(() => undefined))?.stop());

  it("puts, reads, overwrites and deletes an item by namespace and key", async () => {
    const { store } = (await open()).storage;
    expect(await store.getItem(["users", "ada"], "prefs")).toBeNull();
    await store.putItem(["users", "ada"], "prefs", { theme: "dark", nested: { n: [1, 2] } });
    const first = await store.getItem(["users", "ada"], "prefs");
    expect(first).toMatchObject({ namespace: ["users", "ada"], key: "prefs", value: { theme: "dark", nested: { n: [1, 2] } } });
    await sleep(10);
    await store.putItem(["users", "ada"], "prefs", { theme: "light" });
    const second = await store.getItem(["users", "ada"], "prefs");
    expect(second!.value).toEqual({ theme: "light" });
    expect(second!.createdAt).toEqual(first!.createdAt);
    expect(second!.updatedAt.getTime()).toBeGreaterThan(first!.updatedAt.getTime());
    await store.deleteItem(["users", "ada"], "prefs");
    expect(await store.getItem(["users", "ada"], "prefs")).toBeNull();
    // Deleting what is not there is no error (a retried step may delete twice).
    await store.deleteItem(["users", "ada"], "prefs");
  });

  it("searches label-wise under a prefix, newest change first, with limit and offset", async () => {
    const { store } = (await open()).storage;
    for (const [namespace, key] of [[["a"], "1"], [["a", "b"], "2"], [["ab"], "3"], [["a", "b", "c"], "4"]] as const) {
      await store.putItem([...namespace], key, { key });
      await sleep(10); // a later updated_at, whatever the clock's resolution
    }
    const keys = async (prefix: string[], limit = 10, offset = 0) =>
      (await store.searchItems(prefix, { limit, offset })).map((item) => item.key);
    expect(await keys(["a"])).toEqual(["4", "2", "1"]);
    expect(await keys(["a", "b"])).toEqual(["4", "2"]);
    expect(await keys([])).toEqual(["4", "3", "2", "1"]);
    expect(await keys(["a"], 2, 1)).toEqual(["2", "1"]);
    expect(await keys(["x"])).toEqual([]);
  });

  it("filters by equality and by the operators of LangGraph's stores", async () => {
    const { store } = (await open()).storage;
    await store.putItem(["docs"], "a", { kind: "note", n: 1, tags: ["x"], owner: { id: 7 } });
    await sleep(10); // a later updated_at, whatever the clock's resolution
    await store.putItem(["docs"], "b", { kind: "note", n: 5 });
    await store.putItem(["docs"], "c", { kind: "todo", n: 10 });
    const keys = async (filter: Record<string, unknown>) =>
      (await store.searchItems(["docs"], { filter, limit: 10, offset: 0 })).map((item) => item.key).sort();
    expect(await keys({ kind: "note" })).toEqual(["a", "b"]);
    expect(await keys({ kind: "note", n: 5 })).toEqual(["b"]);
    expect(await keys({ n: { $gt: 1 } })).toEqual(["b", "c"]);
    expect(await keys({ n: { $gte: 1, $lt: 10 } })).toEqual(["a", "b"]);
    expect(await keys({ kind: { $ne: "note" } })).toEqual(["c"]);
    expect(await keys({ kind: { $in: ["todo", "other"] } })).toEqual(["c"]);
    expect(await keys({ kind: { $nin: ["todo"] } })).toEqual(["a", "b"]);
    expect(await keys({ tags: { $exists: true } })).toEqual(["a"]);
    expect(await keys({ owner: { id: 7 } })).toEqual(["a"]);
    expect(await keys({ n: "1" })).toEqual([]);
    // The filter applies before the page is cut (newest first: b, then a).
    expect((await store.searchItems(["docs"], { filter: { kind: "note" }, limit: 1, offset: 1 })).map((i) => i.key)).toEqual(["a"]);
  });

  it("lists namespaces by prefix, suffix, wildcard and depth, only those holding items", async () => {
    const { store } = (await open()).storage;
    for (const namespace of [["a", "b", "c"], ["a", "b", "d"], ["a", "x"], ["b", "c"], ["ab"]]) await store.putItem(namespace, "k", {});
    const list = (options: Parameters<typeof store.listNamespaces>[0]) => store.listNamespaces(options);
    expect(await list({})).toEqual([["a", "b", "c"], ["a", "b", "d"], ["a", "x"], ["ab"], ["b", "c"]]);
    expect(await list({ prefix: ["a"] })).toEqual([["a", "b", "c"], ["a", "b", "d"], ["a", "x"]]);
    expect(await list({ suffix: ["c"] })).toEqual([["a", "b", "c"], ["b", "c"]]);
    expect(await list({ prefix: ["a", "*", "d"] })).toEqual([["a", "b", "d"]]);
    expect(await list({ maxDepth: 2 })).toEqual([["a", "b"], ["a", "x"], ["ab"], ["b", "c"]]);
    expect(await list({ prefix: ["a"], maxDepth: 1 })).toEqual([["a"]]);
    expect(await list({ limit: 2, offset: 1 })).toEqual([["a", "b", "d"], ["a", "x"]]);
    await store.deleteItem(["ab"], "k");
    expect(await list({ maxDepth: 1 })).toEqual([["a"], ["b"]]);
  });

  it("is the store of a graph: a node's writes in one thread are read in another", async () => {
    const { storage, checkpointer } = await open();
    const State = Annotation.Root({ seen: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    const graph = new StateGraph(State)
      .addNode("remember", async (_state, config: LangGraphRunnableConfig) => {
        const previous = await config.store!.search(["memories"]);
        await config.store!.put(["memories"], config.configurable!.thread_id as string, { from: config.configurable!.thread_id });
        return { seen: previous.map((item) => item.key) };
      })
      .addEdge("__start__", "remember")
      .compile({ checkpointer, store: storage.store });
    await graph.invoke({}, { configurable: { thread_id: "t1" } });
    const second = await graph.invoke({}, { configurable: { thread_id: "t2" } });
    expect(second.seen).toEqual(["t1"]);
    expect((await storage.store.searchItems(["memories"], { limit: 10, offset: 0 })).map((i) => i.value)).toEqual([{ from: "t2" }, { from: "t1" }]);
  });

  describe("semantic search (store.index)", () => {
    it("ranks by similarity of the indexed fields; unindexed items come last, unscored", async () => {
      const { store } = (await open({ index: INDEX })).storage;
      await store.putItem(["docs"], "cats", { text: "the cat sat on the mat" });
      await store.putItem(["docs"], "dogs", { text: "dogs bark at night" });
      await store.putItem(["docs"], "cats-too", { text: "a cat and a dog" });
      await store.putItem(["docs"], "plain", { text: "cat cat cat" }, { index: false });
      await store.putItem(["docs"], "no-text", { title: "cat" });
      const found = await store.searchItems(["docs"], { query: "cat", limit: 10, offset: 0 });
      expect(found.map((item) => item.key).slice(0, 3)).toEqual(["cats-too", "cats", "dogs"]);
      expect(found[0]!.score).toBeGreaterThan(found[1]!.score!);
      expect(found[2]!.score).toBe(0);
      expect(found.slice(3).map((item) => [item.key, item.score])).toEqual(
        expect.arrayContaining([["plain", undefined], ["no-text", undefined]]),
      );
      const filtered = await store.searchItems(["docs"], { query: "cat", filter: { text: "dogs bark at night" }, limit: 10, offset: 0 });
      expect(filtered.map((item) => item.key)).toEqual(["dogs"]);
      expect((await store.searchItems(["docs"], { query: "cat", limit: 1, offset: 1 })).map((item) => item.key)).toEqual(["cats"]);
    });

    it("re-embeds an overwritten item and forgets a deleted one", async () => {
      const { store } = (await open({ index: INDEX })).storage;
      await store.putItem(["docs"], "d", { text: "cat" });
      await store.putItem(["docs"], "e", { text: "dog" });
      await store.putItem(["docs"], "d", { text: "bird" });
      expect((await store.searchItems(["docs"], { query: "bird", limit: 1, offset: 0 }))[0]!.key).toBe("d");
      expect((await store.searchItems(["docs"], { query: "cat", limit: 10, offset: 0 })).every((item) => item.score === 0)).toBe(true);
      await store.deleteItem(["docs"], "d");
      expect((await store.searchItems(["docs"], { query: "bird", limit: 10, offset: 0 })).map((item) => item.key)).toEqual(["e"]);
    });

    it("refuses an embedding of the wrong size and stores nothing", async () => {
      const wrong = { ...INDEX!, embeddings: { embedDocuments: async (texts: string[]) => texts.map(() => [1, 2]), embedQuery: async () => [1, 2] } };
      const { store } = (await open({ index: wrong })).storage;
      await expect(store.putItem(["docs"], "d", { text: "cat" })).rejects.toThrow(/2 dimensions.*dims is 64/);
      expect(await store.getItem(["docs"], "d")).toBeNull();
    });

    it("ignores the query when the store has no index, as the reference server does", async () => {
      const { store } = (await open()).storage;
      await store.putItem(["docs"], "d", { text: "dog" });
      expect(await store.searchItems(["docs"], { query: "cat", limit: 10, offset: 0 })).toMatchObject([{ key: "d" }]);
    });
  });

  describe("time to live (store.ttl)", () => {
    it("hides an expired item from every read, and the sweep deletes it", async () => {
      const { store } = (await open()).storage;
      await store.putItem(["tmp"], "short", { v: 1 }, { ttl: 0.001 }); // 60 ms
      await store.putItem(["tmp"], "kept", { v: 2 });
      await sleep(150);
      expect(await store.getItem(["tmp"], "short")).toBeNull();
      expect((await store.searchItems(["tmp"], { limit: 10, offset: 0 })).map((item) => item.key)).toEqual(["kept"]);
      await store.putItem(["gone"], "k", {}, { ttl: 0.001 });
      await sleep(150);
      expect(await store.listNamespaces({})).toEqual([["tmp"]]);
      expect(await store.sweepExpired()).toBe(2);
      expect(await store.sweepExpired()).toBe(0);
      expect(await store.getItem(["tmp"], "kept")).toMatchObject({ value: { v: 2 } });
    });

    it("pushes the expiry out on a read unless the read says not to", async () => {
      const { store } = (await open({ ttl: { refreshOnRead: true } })).storage;
      await store.putItem(["tmp"], "read", {}, { ttl: 1 });
      await store.putItem(["tmp"], "unread", {}, { ttl: 1 });
      await sleep(10); // the newest, for the search below
      await store.putItem(["tmp"], "searched", {}, { ttl: 1 });
      const putsDone = Date.now();
      await sleep(100);
      await store.getItem(["tmp"], "read");
      await store.getItem(["tmp"], "unread", { refreshTtl: false });
      await store.searchItems(["tmp"], { filter: { never: true }, limit: 10, offset: 0 });
      await store.searchItems(["tmp"], { limit: 1, offset: 0 }); // the newest: "searched"
      // One minute after the puts, only the items read since then are still alive.
      expect(await store.sweepExpired(new Date(putsDone + 60_000 + 50))).toBe(1);
      expect((await store.searchItems(["tmp"], { limit: 10, offset: 0, refreshTtl: false })).map((i) => i.key).sort()).toEqual(["read", "searched"]);
      // A search refreshes every item it returns, in one go.
      await sleep(100);
      const searchedAt = Date.now();
      expect(await store.searchItems(["tmp"], { limit: 10, offset: 0 })).toHaveLength(2);
      expect(await store.sweepExpired(new Date(searchedAt + 60_000 - 10))).toBe(0);
    });

    it("applies default_ttl to puts without a ttl; ttl null never expires", async () => {
      const { store } = (await open({ ttl: { defaultTtlMinutes: 0.001, refreshOnRead: false } })).storage;
      await store.putItem(["tmp"], "default", {});
      await store.putItem(["tmp"], "forever", {}, { ttl: null });
      await sleep(150);
      expect((await store.searchItems(["tmp"], { limit: 10, offset: 0 })).map((item) => item.key)).toEqual(["forever"]);
      expect(await store.sweepExpired(new Date(Date.now() + 365 * 24 * 3600_000))).toBe(1);
    });

    it("sweeps an expired item's vectors with it", async () => {
      const { store } = (await open({ index: INDEX })).storage;
      await store.putItem(["docs"], "d", { text: "cat" }, { ttl: 0.001 });
      await sleep(150);
      expect(await store.sweepExpired()).toBe(1);
      await store.putItem(["docs"], "d", { text: "dog" });
      const [item] = await store.searchItems(["docs"], { query: "cat", limit: 10, offset: 0 });
      expect(item!.score).toBe(0);
    });
  });
});
