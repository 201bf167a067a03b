// Every field the official JS SDK sends when creating a run is one our schema names: handled,
// or accepted on purpose without effect. A new SDK field fails this test until it is decided.
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RunCreate } from "../../server/schemas/runs.ts";
import { startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

it("runs.create with every option sends only fields the API declares, and the run is created", async () => {
  const sentBodies: Record<string, unknown>[] = [];
  const client = new Client({
    apiUrl: stack.url,
    onRequest: (_url, init) => {
      if (typeof init.body === "string") sentBodies.push(JSON.parse(init.body) as Record<string, unknown>);
      return init;
    },
  });
  const thread = await client.threads.create();
  const run = await client.runs.create(thread.thread_id, "factory", {
    input: {},
    command: undefined,
    config: { configurable: { name: "parity" }, tags: ["t"], recursion_limit: 10 },
    context: { a: 1 },
    metadata: { m: 1 },
    streamMode: ["values", "updates"],
    streamSubgraphs: true,
    streamResumable: true,
    feedbackKeys: ["k"],
    interruptBefore: [],
    interruptAfter: [],
    webhook: undefined,
    strictResume: true,
    multitaskStrategy: "enqueue",
    afterSeconds: 0,
    ifNotExists: "reject",
    checkpointDuring: true,
    durability: "sync",
    _langsmithTracer: { projectName: "p", exampleId: "e" },
  } as unknown as Parameters<Client["runs"]["create"]>[2]);
  await client.runs.join(thread.thread_id, run.run_id);

  const runBody = sentBodies.find((body) => body.assistant_id === "factory")!;
  const declared = new Set(Object.keys(RunCreate.properties));
  const undeclared = Object.keys(runBody).filter((key) => !declared.has(key));
  expect(undeclared).toEqual([]);
  expect(Object.keys(runBody).length).toBeGreaterThanOrEqual(18);
  expect((await client.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
});
