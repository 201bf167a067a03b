// The store (spec §3.9, issue 12) with the official JS client over HTTP: every /store route as
// `client.store.*` calls it, errors as raw HTTP, a graph whose runs on two threads share what they
// remember, and one call of the Python client. The fixture project configures `store.index`
// with an offline embedding (test/fixtures/graphs/embed.ts) and `store.ttl`.
import { execFile } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreListNamespaces, StorePutItem, StoreSearchItems } from "../../server/schemas/store.ts";
import { apiCaller } from "../helpers/http.ts";
import { pythonTools } from "../helpers/python-tools.ts";
import { REPO_ROOT, startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
const call = apiCaller(() => stack.url);

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

describe("client.store", () => {
  it("puts, gets, searches, lists and deletes items", async () => {
    const store = stack.sdk.store;
    expect(await store.getItem(["e2e", "missing"], "nothing")).toBeNull();
    await store.putItem(["e2e", "prefs"], "ada", { theme: "dark", text: "ada likes dark themes" });
    await sleep(10); // a later updated_at, whatever the clock's resolution
    await store.putItem(["e2e", "prefs"], "bob", { theme: "light", text: "bob likes light themes" });
    await store.putItem(["e2e", "other"], "x", { theme: "dark" });

    const item = await store.getItem(["e2e", "prefs"], "ada");
    expect(item).toMatchObject({ namespace: ["e2e", "prefs"], key: "ada", value: { theme: "dark" } });
    expect(new Date(item!.createdAt).toISOString()).toBe(item!.createdAt);

    const { items } = await store.searchItems(["e2e"], { filter: { theme: "dark" } });
    expect(items.map((found) => found.key).sort()).toEqual(["ada", "x"]);
    const page = await store.searchItems(["e2e", "prefs"], { limit: 1, offset: 1 });
    expect(page.items.map((found) => found.key)).toEqual(["ada"]);

    expect(await store.listNamespaces({ prefix: ["e2e"] })).toEqual({ namespaces: [["e2e", "other"], ["e2e", "prefs"]] });
    expect(await store.listNamespaces({ prefix: ["e2e"], maxDepth: 1 })).toEqual({ namespaces: [["e2e"]] });
    expect(await store.listNamespaces({ suffix: ["other"] })).toEqual({ namespaces: [["e2e", "other"]] });

    await store.deleteItem(["e2e", "prefs"], "ada");
    expect(await store.getItem(["e2e", "prefs"], "ada")).toBeNull();
  });

  it("ranks a search with a query by similarity when langgraph.json has store.index", async () => {
    const store = stack.sdk.store;
    await store.putItem(["e2e-semantic"], "tea", { text: "ada drinks green tea every morning" });
    await store.putItem(["e2e-semantic"], "cats", { text: "bob has two cats" });
    await store.putItem(["e2e-semantic"], "hidden", { text: "tea tea tea" }, { index: false });
    const { items } = await store.searchItems(["e2e-semantic"], { query: "green tea" });
    expect(items.map((found) => found.key)).toEqual(["tea", "cats", "hidden"]);
    expect(items[0]!.score).toBeGreaterThan(0.5);
    expect(items[1]!.score).toBeLessThan(items[0]!.score!);
    expect(items[2]!.score).toBeUndefined();
  });

  it("expires an item after its ttl and keeps one that is read in time", async () => {
    const store = stack.sdk.store;
    await store.putItem(["e2e-ttl"], "short", { v: 1 }, { ttl: 0.05 }); // 3 s
    await store.putItem(["e2e-ttl"], "read", { v: 2 }, { ttl: 0.05 });
    // Each read, a second apart, gives "read" another 3 s; nothing pushes "short" out.
    for (let i = 0; i < 4; i++) {
      await sleep(1000);
      expect(await stack.sdk.store.getItem(["e2e-ttl"], "read")).toMatchObject({ value: { v: 2 } });
    }
    expect(await store.getItem(["e2e-ttl"], "short", { refreshTtl: false })).toBeNull();
  });

  it("answers bad input with a 4xx JSON error and changes nothing", async () => {
    const dotted = await call("PUT", "/store/items", { namespace: ["a.b"], key: "k", value: {} });
    expect(dotted.status).toBe(422);
    expect(dotted.body).toMatchObject({ code: "validation_error", param: "namespace" });
    const empty = await call("PUT", "/store/items", { namespace: [], key: "k", value: {} });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ detail: "Namespace is required", code: "bad_request" });
    const notObject = await call("PUT", "/store/items", { namespace: ["a"], key: "k", value: [1] });
    expect(notObject.status).toBe(422);
    expect((await call("POST", "/store/items/search", { namespace_prefix: ["a"], limit: 0 })).status).toBe(422);
    expect((await call("POST", "/store/namespaces", { max_depth: -1 })).status).toBe(422);
    expect((await call("GET", "/store/items?namespace=a")).status).toBe(422);
    expect((await call("PUT", "/store/items", { namespace: ["a"], key: "a\u0000b", value: {} })).status).toBe(422);
    expect(await stack.sdk.store.listNamespaces({ prefix: ["a"] })).toEqual({ namespaces: [] });
  });
});

it("declares every field the SDK sends with each option set", async () => {
  const sent: Array<{ path: string; body: Record<string, unknown> }> = [];
  const client = new Client({
    apiUrl: stack.url,
    onRequest: (url, init) => {
      if (typeof init.body === "string") sent.push({ path: new URL(url).pathname, body: JSON.parse(init.body) as Record<string, unknown> });
      return init;
    },
  });
  await client.store.putItem(["parity"], "k", { text: "x" }, { index: ["text"], ttl: 5 });
  await client.store.searchItems(["parity"], { filter: { text: "x" }, limit: 5, offset: 0, query: "x", refreshTtl: false });
  await client.store.listNamespaces({ prefix: ["parity"], suffix: ["parity"], maxDepth: 2, limit: 5, offset: 0 });
  const schemas: Record<string, { properties: Record<string, unknown> }> = {
    "/store/items": StorePutItem,
    "/store/items/search": StoreSearchItems,
    "/store/namespaces": StoreListNamespaces,
  };
  const undeclared = sent.flatMap(({ path, body }) => Object.keys(body).filter((key) => !(key in schemas[path]!.properties)).map((key) => `${path} ${key}`));
  expect(sent).toHaveLength(3);
  expect(undeclared).toEqual([]);
});

it("gives graph nodes one store that every thread shares, and the client sees it", async () => {
  const remember = async (fact: string) => {
    const thread = await stack.sdk.threads.create();
    const run = await stack.sdk.runs.create(thread.thread_id, "memory", { input: { user: "ada", fact } });
    return { threadId: thread.thread_id, values: (await stack.sdk.runs.join(thread.thread_id, run.run_id)) as { recalled: string[] } };
  };
  // 1. a run on a first thread remembers a fact
  const first = await remember("likes tea");
  expect(first.values.recalled).toEqual([]);
  // 2. the client adds one of its own; a run on a second thread recalls both
  await stack.sdk.store.putItem(["memories", "ada"], "from-client", { text: "lives in Paris" });
  const second = await remember("has a cat");
  expect(second.values.recalled).toEqual(["likes tea", "lives in Paris"]);
  // 3. what the graphs wrote is in the store, keyed by thread
  const { items } = await stack.sdk.store.searchItems(["memories", "ada"]);
  expect(Object.fromEntries(items.map((item) => [item.key, item.value.text]))).toEqual({
    [first.threadId]: "likes tea",
    [second.threadId]: "has a cat",
    "from-client": "lives in Paris",
  });
});

it("serves the Python client's store calls", async () => {
  const python = await pythonTools("test/python/requirements.txt");
  // Asynchronously: the server the script talks to runs in this very process.
  const { stdout } = await promisify(execFile)(python.python, [path.join(REPO_ROOT, "test/python/store.py"), stack.url]);
  expect(JSON.parse(stdout)).toEqual({ value: { lang: "python" }, keys: ["py"], namespaces: [["py-ns"]] });
}, 300_000);
