// The fuzz run with custom auth on (issue 13), with the example's JWT auth: schemathesis sends
// its generated requests with missing, garbage, expired, wrongly signed and `alg: none` tokens
// (all must be 401, never a 5xx) and with the valid token of bob (no 5xx, JSON errors). After
// it, alice's data reads back unchanged and bob still sees none of it.
import fs from "node:fs";
import path from "node:path";
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signToken } from "../../examples/jwt-auth/src/jwt.ts";
import type { Venv } from "../../src/python-venv.ts";
import { pythonTools } from "../helpers/python-tools.ts";
import { FIXTURES, startStack, type Stack } from "../helpers/stack.ts";
import { schemathesis, summarize } from "./schemathesis.ts";

const MAX_EXAMPLES = 15;
const MAX_SECONDS = 300;
/** Runs end within this (MAX_RUN_SECONDS, delay included), as in api-fuzz.test.ts: bob's generated runs may ask to start years later, and a wait for one would otherwise last the default hour. */
const RUN_DEADLINE_SECONDS = 5;
const SECRET = "fuzz-auth-secret";
const SCOPE = "threads:read threads:write assistants:read assistants:write";
const bearer = (claims: { sub: string; scope?: string; exp?: number }, secret = SECRET) => `Bearer ${signToken(claims, secret)}`;
const base64url = (json: object) => Buffer.from(JSON.stringify(json)).toString("base64url");

let stack: Stack;
let tools: Venv;
let alice: Client;
let bob: Client;
beforeAll(async () => {
  tools = await pythonTools("test/fuzz/requirements.txt");
  stack = await startStack({ configPath: `${FIXTURES}langgraph-auth.json`, env: { JWT_SECRET: SECRET, MAX_RUN_SECONDS: String(RUN_DEADLINE_SECONDS) } });
  alice = new Client({ apiUrl: stack.url, defaultHeaders: { authorization: bearer({ sub: "alice", scope: SCOPE }) } });
  bob = new Client({ apiUrl: stack.url, defaultHeaders: { authorization: bearer({ sub: "bob", scope: SCOPE }) } });
}, 600_000);
afterAll(async () => stack?.stop());

async function threadWithRun(client: Client, metadata: Record<string, string>) {
  const thread = await client.threads.create({ metadata });
  const run = await client.runs.create(thread.thread_id, "agent", { input: {} });
  await client.runs.join(thread.thread_id, run.run_id);
  return { threadId: thread.thread_id, runId: run.run_id };
}

/** What alice reads back of her data (new data may be added by nobody but her). */
async function aliceSnapshot(threadId: string, assistantId: string) {
  return {
    thread: await alice.threads.get(threadId),
    state: await alice.threads.getState(threadId),
    runs: await alice.runs.list(threadId),
    assistant: await alice.assistants.get(assistantId),
    threads: (await alice.threads.search({ limit: 100 })).map((t) => t.thread_id),
  };
}

it("refuses every request without a valid token with 401, never a 5xx, and keeps users apart", async () => {
  // 1. alice's data, and bob's thread for the fuzzer to use so bob's requests get past their 404
  const aliceThread = await threadWithRun(alice, { fuzz: "keep" });
  const aliceAssistant = await alice.assistants.create({ graphId: "agent", metadata: { fuzz: "keep" } });
  const before = await aliceSnapshot(aliceThread.threadId, aliceAssistant.assistant_id);
  const playground = await threadWithRun(bob, { fuzz: "playground" });

  // 2. the fuzz run; each request carries one of these credentials (test/fuzz/auth_hooks.py)
  const now = Math.floor(Date.now() / 1000);
  const credentials = {
    refused: [
      null,
      "Bearer garbage",
      "Basic YWxpY2U6c2VjcmV0",
      bearer({ sub: "alice", scope: SCOPE, exp: now - 60 }),
      bearer({ sub: "alice", scope: SCOPE }, "someone-else's-key"),
      `${base64url({ alg: "none", typ: "JWT" })}.${base64url({ sub: "alice", scope: SCOPE })}.`,
    ],
    valid: bearer({ sub: "bob", scope: SCOPE }),
  };
  const workDir = fs.mkdtempSync(path.join(stack.dataDir, "fuzz-"));
  const configFile = path.join(workDir, "schemathesis.toml");
  fs.writeFileSync(configFile, `[parameters]\n"path.thread_id" = "${playground.threadId}"\n"path.run_id" = "${playground.runId}"\n`);
  const result = await schemathesis(
    [
      "--config-file", configFile,
      "run", `${stack.url}/openapi.json`,
      "--checks", "not_a_server_error,client_error_has_detail,refused_without_valid_token",
      "--phases", "examples,coverage,fuzzing",
      "--max-examples", String(MAX_EXAMPLES),
      "--seed", "20261130",
      "--workers", "2",
      "--request-timeout", "30",
      "--exclude-path-regex", "crons",
      "--suppress-health-check", "all",
    ],
    { bin: tools.bin, hooks: "auth_hooks", maxSeconds: MAX_SECONDS, env: { FUZZ_AUTH_HEADERS: JSON.stringify(credentials) } },
  );
  const summary = summarize(result);
  if (result.exitCode !== 0) console.log(result.output);
  console.log(`fuzz (auth) summary: ${summary.operations} operations, cases tried ${summary.cases}, failures: ${summary.failures}`);

  // 3. the server still serves; alice's data is as it was and still invisible to bob
  expect((await fetch(`${stack.url}/ok`)).status).toBe(200);
  expect(await aliceSnapshot(aliceThread.threadId, aliceAssistant.assistant_id)).toEqual(before);
  // (The fuzzer, as bob, may have deleted bob's own playground thread.)
  const bobsNew = await bob.threads.create();
  const bobSees = (await bob.threads.search({ limit: 1000 })).map((t) => t.thread_id);
  expect(bobSees).toContain(bobsNew.thread_id);
  expect(bobSees).not.toContain(aliceThread.threadId);
  expect(await bob.threads.count({ metadata: { fuzz: "keep" } })).toBe(0);
  await expect(bob.threads.get(aliceThread.threadId)).rejects.toMatchObject({ status: 404 });
  await expect(bob.runs.get(aliceThread.threadId, aliceThread.runId)).rejects.toMatchObject({ status: 404 });
  await expect(bob.assistants.get(aliceAssistant.assistant_id)).rejects.toMatchObject({ status: 404 });
  expect(summary.cases).toBeGreaterThan(0);
  expect(summary.failures).toBe(0);
  expect(result.exitCode).toBe(0);
});
