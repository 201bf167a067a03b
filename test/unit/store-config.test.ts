// `store` in langgraph.json (spec §3.9, issue 14) and the embedding it names, and how custom
// auth's store handlers narrow every store route (issue 13).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AuthFilters } from "../../src/auth/auth-filters.ts";
import { ANONYMOUS, type Caller } from "../../src/auth/caller.ts";
import { openSqliteStorage } from "../../src/storage/open-sqlite.ts";
import { loadEmbedder } from "../../src/store/embeddings.ts";
import { parseStoreConfig } from "../../src/store/store-config.ts";
import type { ItemStore } from "../../src/storage/item-store.ts";
import { StoreService } from "../../src/store/store-service.ts";
import { FIXTURES } from "../helpers/stack.ts";

describe("parseStoreConfig", () => {
  it("reads index and ttl with Platform's defaults", () => {
    expect(parseStoreConfig(undefined)).toEqual({});
    expect(parseStoreConfig({ index: { embed: "./e.ts:embed", dims: 8 }, ttl: {} })).toEqual({
      index: { embed: "./e.ts:embed", dims: 8, fields: ["$"] },
      ttl: { refreshOnRead: true, sweepIntervalMinutes: 60 },
    });
    expect(parseStoreConfig({ ttl: { default_ttl: 1.5, refresh_on_read: false, sweep_interval_minutes: 5 } })).toEqual({
      ttl: { defaultTtl: 1.5, refreshOnRead: false, sweepIntervalMinutes: 5 },
    });
  });

  it("names the key that is wrong", () => {
    expect(() => parseStoreConfig([])).toThrow(/"store" must be an object/);
    expect(() => parseStoreConfig({ index: { dims: 8 } })).toThrow(/store\.index\.embed/);
    expect(() => parseStoreConfig({ index: { embed: "x:y", dims: 0 } })).toThrow(/store\.index\.dims/);
    expect(() => parseStoreConfig({ index: { embed: "x:y", dims: 2, fields: "text" } })).toThrow(/store\.index\.fields/);
    expect(() => parseStoreConfig({ ttl: { default_ttl: -1 } })).toThrow(/store\.ttl\.default_ttl/);
    // Past a hundred years an item's expiry has no date (every put failed): refused at load.
    expect(() => parseStoreConfig({ ttl: { default_ttl: 1e300 } })).toThrow(/store\.ttl\.default_ttl.*at most/);
    expect(() => parseStoreConfig({ ttl: { refresh_on_read: "yes" } })).toThrow(/store\.ttl\.refresh_on_read/);
    expect(() => parseStoreConfig({ ttl: { sweep_interval_minutes: 0.5 } })).toThrow(/store\.ttl\.sweep_interval_minutes/);
  });
});

describe("loadEmbedder", () => {
  it("loads a function export relative to the project, as graphs are loaded", async () => {
    const embedder = await loadEmbedder("./graphs/embed.ts:embed", FIXTURES);
    const [vector] = await embedder.embedDocuments(["tea"]);
    expect(vector).toHaveLength(64);
    expect(await embedder.embedQuery("tea")).toEqual(vector);
  });

  it("says what is wrong with an embed it cannot use", async () => {
    await expect(loadEmbedder("./graphs/embed.ts:DIMS", FIXTURES)).rejects.toThrow(/neither a function nor an Embeddings object/);
    await expect(loadEmbedder("./graphs/missing.ts:embed", FIXTURES)).rejects.toThrow(/cannot load/);
    await expect(loadEmbedder("cohere:embed-v3", FIXTURES)).rejects.toThrow(/neither "<file>:<export>" nor "openai:<model>"/);
  });
});

describe("StoreService under custom auth's store handlers", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-store-access-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A caller whose handlers answer `filters` and may rewrite the event, as an Auth object's would. */
  const callerWith = (filters: AuthFilters | undefined, rewrite: (event: Record<string, unknown>) => void = () => {}): Caller => ({
    authorize: async (_resource, _action, event) => {
      rewrite(event);
      return filters;
    },
  });

  it("matches filters on {...value, namespace, key}: hidden items are 404, writes the filters refuse 403", async () => {
    const { storage } = await openSqliteStorage(dir);
    try {
      const service = new StoreService(storage.store);
      await service.put({ namespace: ["notes"], key: "a", value: { owner: "ada", v: 1 } }, ANONYMOUS);
      await service.put({ namespace: ["notes"], key: "b", value: { owner: "bob", v: 2 } }, ANONYMOUS);
      const ada = callerWith([{ key: "owner", op: "eq", value: "ada" }]);
      expect((await service.search({ namespacePrefix: [], limit: 10, offset: 0 }, ada)).items.map((item) => item.key)).toEqual(["a"]);
      expect(await service.get(["notes"], "a", {}, ada)).toMatchObject({ value: { v: 1 } });
      expect(await service.get(["notes"], "missing", {}, ada)).toBeNull();
      await expect(service.get(["notes"], "b", {}, ada)).rejects.toMatchObject({ code: "not_found" });
      await expect(service.put({ namespace: ["notes"], key: "b", value: { owner: "ada" } }, ada)).rejects.toMatchObject({ code: "not_found" });
      await expect(service.put({ namespace: ["notes"], key: "c", value: { owner: "bob" } }, ada)).rejects.toMatchObject({ code: "forbidden" });
      await expect(service.delete(["notes"], "b", ada)).rejects.toMatchObject({ code: "not_found" });
      // A missing item's delete is matched on {namespace, key} alone: no owner there, refused.
      await expect(service.delete(["notes"], "missing", ada)).rejects.toMatchObject({ code: "forbidden" });
      // Namespaces are matched as {namespace}: a filter on a value field hides them all.
      expect(await service.listNamespaces({ limit: 10, offset: 0 }, ada)).toEqual({ namespaces: [] });
      const inNotes = callerWith([{ key: "namespace", op: "contains", values: ["notes"] }]);
      expect(await service.listNamespaces({ limit: 10, offset: 0 }, inNotes)).toEqual({ namespaces: [["notes"]] });
      // Nothing refused was written or removed.
      const all = (await service.search({ namespacePrefix: ["notes"], limit: 10, offset: 0 }, ANONYMOUS)).items;
      expect(all.map((item) => [item.key, item.value]).sort()).toEqual([["a", { owner: "ada", v: 1 }], ["b", { owner: "bob", v: 2 }]]);
    } finally {
      await storage.close();
    }
  });

  it("reads filtered searches page by page, and refuses (400) one that would read past 10,000 candidates", async () => {
    // Candidates as a store would page them: every thousandth is ada's.
    const candidates = Array.from({ length: 12_000 }, (_, i) => ({
      namespace: ["notes"], key: `k${i}`, value: { owner: i % 1000 === 999 ? "ada" : "bob" }, createdAt: new Date(0), updatedAt: new Date(0),
    }));
    const reads: Array<[number, number]> = [];
    const store = {
      searchItems: async (_prefix: string[], { limit, offset }: { limit: number; offset: number }) => {
        reads.push([limit, offset]);
        return candidates.slice(offset, offset + limit);
      },
    } as unknown as ItemStore;
    const service = new StoreService(store);
    const ada = callerWith([{ key: "owner", op: "eq", value: "ada" }]);
    const keys = async (limit: number, offset: number) => (await service.search({ namespacePrefix: [], limit, offset }, ada)).items.map((item) => item.key);
    expect(await keys(2, 1)).toEqual(["k1999", "k2999"]);
    expect(reads).toEqual([[1000, 0], [1000, 1000], [1000, 2000]]);
    await expect(keys(10, 5)).rejects.toMatchObject({ code: "bad_request", message: expect.stringMatching(/maximum scan limit/) });
    expect(reads.at(-1)).toEqual([1000, 9000]);
  });

  it("uses the namespace a handler leaves: a per-user prefix confines every route", async () => {
    const { storage } = await openSqliteStorage(dir);
    try {
      const service = new StoreService(storage.store);
      const prefixed = (user: string) => callerWith(undefined, (event) => {
        event.namespace = [user, ...((event.namespace as string[] | undefined) ?? [])];
      });
      const [ada, bob] = [prefixed("ada"), prefixed("bob")];
      await service.put({ namespace: ["memories"], key: "k", value: { v: "ada's" } }, ada);
      await service.put({ namespace: ["memories"], key: "k", value: { v: "bob's" } }, bob);
      expect(await service.get(["memories"], "k", {}, ada)).toMatchObject({ namespace: ["ada", "memories"], value: { v: "ada's" } });
      expect((await service.search({ namespacePrefix: [], limit: 10, offset: 0 }, bob)).items.map((item) => item.value)).toEqual([{ v: "bob's" }]);
      expect(await service.listNamespaces({ limit: 10, offset: 0 }, ada)).toEqual({ namespaces: [["ada", "memories"]] });
      await service.delete(["memories"], "k", ada);
      expect(await service.get(["bob", "memories"], "k", {}, ANONYMOUS)).toMatchObject({ value: { v: "bob's" } });
      expect(await service.get(["ada", "memories"], "k", {}, ANONYMOUS)).toBeNull();
    } finally {
      await storage.close();
    }
  });
});
