// Custom auth against the oracle (issue 13): the same project (examples/jwt-auth's auth and graph)
// on our server and on the official JS server (@langchain/langgraph-api, startServer), the same
// SDK calls by two users and a scope-restricted one; every status must be the official one,
// except where the README's Custom auth section says why we differ.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, expect, it } from "vitest";
import { spawnNode, type Child } from "../../bench/systems/child.ts";
import { signToken } from "../../examples/jwt-auth/src/jwt.ts";
import { freePort } from "../../src/temporal/dev-server.ts";
import { FIXTURES, REPO_ROOT, startStack, type Stack } from "../helpers/stack.ts";

const SECRET = "differential-secret";
const SCOPE = "threads:read threads:write assistants:read assistants:write store:read store:write";
const EXAMPLE = `${REPO_ROOT}examples/jwt-auth/src/`;

let ours: Stack;
let official: { url: string; child: Child; dir: string };

beforeAll(async () => {
  ours = await startStack({ configPath: `${FIXTURES}langgraph-auth.json`, env: { JWT_SECRET: SECRET } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-official-auth-"));
  const port = await freePort();
  const options = { port, cwd: dir, nWorkers: 2, graphs: { agent: `${EXAMPLE}agent.ts:graph` }, auth: { path: `${EXAMPLE}auth.ts:auth` } };
  const child = spawnNode([`${REPO_ROOT}bench/systems/peer-server.ts`, JSON.stringify(options)], { cwd: dir, env: { ...process.env, JWT_SECRET: SECRET } });
  official = { url: `http://127.0.0.1:${port}`, child, dir };
  await child.waitFor(/peer listening on/);
}, 180_000);
afterAll(async () => {
  await official?.child.stop();
  if (official) fs.rmSync(official.dir, { recursive: true, force: true });
  await ours?.stop();
});

async function statusOf(call: () => Promise<unknown>): Promise<number | string> {
  try {
    await call();
    return "ok";
  } catch (err) {
    return (err as { status?: number | string }).status ?? -1;
  }
}

/** The statuses a scenario of alice, bob, carol (threads:read only) and an anonymous client gets. */
async function scenario(url: string): Promise<Record<string, number | string>> {
  const client = (sub?: string, scope = SCOPE) =>
    new Client({ apiUrl: url, defaultHeaders: sub ? { authorization: `Bearer ${signToken({ sub, scope }, SECRET)}` } : {} });
  const [alice, bob, carol, anonymous] = [client("alice"), client("bob"), client("carol", "threads:read"), client()];
  const assistant = await alice.assistants.create({ graphId: "agent" });
  const thread = await alice.threads.create();
  await alice.runs.wait(thread.thread_id, assistant.assistant_id, { input: {} });
  const [run] = await alice.runs.list(thread.thread_id);
  const [t, r, a] = [thread.thread_id, run!.run_id, assistant.assistant_id];
  const calls: Record<string, () => Promise<unknown>> = {
    "anonymous threads.search": () => anonymous.threads.search(),
    "anonymous assistants.get": () => anonymous.assistants.get(a),
    "carol threads.search": () => carol.threads.search(),
    "carol threads.create": () => carol.threads.create(),
    "carol threads.get (alice's)": () => carol.threads.get(t),
    "carol assistants.search": () => carol.assistants.search(),
    "carol runs.create": () => carol.runs.create(null, "agent", { input: {} }),
    "alice threads.get": () => alice.threads.get(t),
    "alice assistants.get": () => alice.assistants.get(a),
    "alice runs.get": () => alice.runs.get(t, r),
    "bob threads.get": () => bob.threads.get(t),
    "bob threads.update": () => bob.threads.update(t, { metadata: { x: 1 } }),
    "bob threads.getState": () => bob.threads.getState(t),
    "bob threads.updateState": () => bob.threads.updateState(t, { values: { greeting: "x" } }),
    "bob threads.getHistory": () => bob.threads.getHistory(t),
    "bob threads.create (alice's id)": () => bob.threads.create({ threadId: t, ifExists: "do_nothing" }),
    "bob runs.create": () => bob.runs.create(t, "agent", { input: {} }),
    "bob runs.list": () => bob.runs.list(t),
    "bob runs.get": () => bob.runs.get(t, r),
    "bob runs.join": () => bob.runs.join(t, r),
    "bob runs.cancel": () => bob.runs.cancel(t, r),
    "bob runs.delete": () => bob.runs.delete(t, r),
    "bob assistants.get": () => bob.assistants.get(a),
    "bob assistants.update": () => bob.assistants.update(a, { name: "x" }),
    "bob assistants.create (alice's id)": () => bob.assistants.create({ graphId: "agent", assistantId: a, ifExists: "do_nothing" }),
    "bob assistants.getVersions": () => bob.assistants.getVersions(a),
    "bob assistants.setLatest": () => bob.assistants.setLatest(a, 1),
    "bob threads.copy": () => bob.threads.copy(t),
    "bob runs.joinStream": async () => {
      for await (const event of bob.runs.joinStream(t, r)) if (event.event === "error") throw Object.assign(new Error("error event"), { status: "error event" });
    },
    // The store (the official server has no crons): the example's namespaces begin with the user's id.
    "alice store.putItem": () => alice.store.putItem(["alice", "notes"], "k", { v: 1 }),
    "alice store.getItem": () => alice.store.getItem(["alice", "notes"], "k"),
    "alice store.searchItems": () => alice.store.searchItems(["alice"]),
    "alice store.listNamespaces": () => alice.store.listNamespaces({ prefix: ["alice"] }),
    "anonymous store.getItem": () => anonymous.store.getItem(["alice", "notes"], "k"),
    "carol store.searchItems": () => carol.store.searchItems(["carol"]),
    "bob store.getItem": () => bob.store.getItem(["alice", "notes"], "k"),
    "bob store.putItem": () => bob.store.putItem(["alice", "notes"], "k", { v: 2 }),
    "bob store.deleteItem": () => bob.store.deleteItem(["alice", "notes"], "k"),
    "bob store.searchItems": () => bob.store.searchItems(["alice"]),
    "bob store.searchItems (everything)": () => bob.store.searchItems([]),
    "bob store.listNamespaces": () => bob.store.listNamespaces(),
    "alice store.deleteItem": () => alice.store.deleteItem(["alice", "notes"], "k"),
    "bob threads.delete": () => bob.threads.delete(t),
    "bob assistants.delete": () => bob.assistants.delete(a),
  };
  const statuses: Record<string, number | string> = {};
  for (const [name, call] of Object.entries(calls)) statuses[name] = await statusOf(call);
  return statuses;
}

it("answers every call of two users, a scope-restricted one and an anonymous one as the official server does", async () => {
  const theirs = await scenario(official.url);
  const mine = await scenario(ours.url);
  // The README's differences: what a caller cannot see answers as missing (404), also for a
  // copy (the JS server: 409 "Thread not found") and a stream (the JS server: 200 and an error event).
  expect(theirs).toMatchObject({ "bob threads.copy": 409, "bob runs.joinStream": "error event" });
  expect(mine).toEqual({ ...theirs, "bob threads.copy": 404, "bob runs.joinStream": 404 });
  // And the scenario does tell refusals apart.
  expect(mine).toMatchObject({ "anonymous threads.search": 401, "carol threads.create": 403, "bob threads.get": 404, "alice threads.get": "ok" });
  expect(mine).toMatchObject({ "anonymous store.getItem": 401, "carol store.searchItems": 403, "bob store.getItem": 403, "alice store.getItem": "ok" });
}, 180_000);
