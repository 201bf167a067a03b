// `store` in langgraph.json (spec §3.9, issue 14) and the embedding it names, and the namespace
// access rule that every store route applies (for auth).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStorage } from "../../src/storage/open-sqlite.ts";
import { loadEmbedder } from "../../src/store/embeddings.ts";
import { parseStoreConfig } from "../../src/store/store-config.ts";
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

describe("StoreService with a namespace access rule", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-store-access-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("narrows searches and listings to the allowed prefix and hides items outside it", async () => {
    const { storage } = await openSqliteStorage(dir);
    try {
      const service = new StoreService(storage.store);
      await service.put({ namespace: ["users", "ada", "notes"], key: "n", value: { v: 1 } });
      await service.put({ namespace: ["users", "bob"], key: "n", value: { v: 2 } });
      const ada = { prefix: ["users", "ada"] };
      const search = (namespacePrefix: string[]) => service.search({ namespacePrefix, limit: 10, offset: 0 }, ada);
      expect((await search([])).items.map((item) => item.value)).toEqual([{ v: 1 }]);
      expect((await search(["users"])).items.map((item) => item.value)).toEqual([{ v: 1 }]);
      expect((await search(["users", "bob"])).items).toEqual([]);
      expect(await service.listNamespaces({ limit: 10, offset: 0 }, ada)).toEqual({ namespaces: [["users", "ada", "notes"]] });
      expect(await service.get(["users", "ada", "notes"], "n", {}, ada)).toMatchObject({ value: { v: 1 } });
      await expect(service.get(["users", "bob"], "n", {}, ada)).rejects.toMatchObject({ code: "not_found" });
      await expect(service.put({ namespace: ["users"], key: "n", value: {} }, ada)).rejects.toMatchObject({ code: "not_found" });
      await expect(service.delete(["users", "bob"], "n", ada)).rejects.toMatchObject({ code: "not_found" });
      expect(await service.get(["users", "bob"], "n", {})).toMatchObject({ value: { v: 2 } });
    } finally {
      await storage.close();
    }
  });
});
