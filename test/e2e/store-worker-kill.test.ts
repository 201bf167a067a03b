// A step that wrote to the store is retried after its worker is SIGKILLed (issue 12): store
// writes are durable before the step commits, and the retry, which runs the node again, leaves
// each item once with the right value (puts are upserts by key; deleting a missing item is a no-op).
import { afterAll, beforeAll, expect, it } from "vitest";
import { ChildProcesses, waitUntil } from "../faults/harness.ts";
import { nodeExecutions, startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
const children = new ChildProcesses();

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false, env: { SLOW_NODE_MS: "2000", STEP_HEARTBEAT_TIMEOUT_SECONDS: "2" } });
});
afterAll(async () => {
  await children.killAll();
  await stack?.stop();
});

it("keeps a killed step's store writes once, with the right value", async () => {
  // 1. a draft the node will delete; a worker process picks up a run of store-writer
  const thread = await stack.sdk.threads.create();
  const namespace = ["notes", thread.thread_id];
  await stack.sdk.store.putItem(namespace, "draft", { text: "draft" });
  const first = await children.startWorker(stack);
  const run = await stack.sdk.runs.create(thread.thread_id, "store-writer", { input: { text: "hello" } });

  // 2. kill it after the node wrote to the store, before its step committed
  await waitUntil(() => nodeExecutions(stack, thread.thread_id).includes("start write"), 60_000, "node started");
  await first.kill("SIGKILL");
  expect((await stack.sdk.runs.get(thread.thread_id, run.run_id)).status).toBe("running");
  expect(await stack.sdk.store.getItem(namespace, "final")).toMatchObject({ value: { text: "hello" } });
  expect(await stack.sdk.store.getItem(namespace, "draft")).toBeNull();

  // 3. a new worker retries the step, which deletes and puts again, and the run succeeds
  await children.startWorker(stack);
  expect(await stack.sdk.runs.join(thread.thread_id, run.run_id)).toEqual({ text: "hello (written)" });
  expect(nodeExecutions(stack, thread.thread_id)).toEqual(["start write", "start write", "end write"]);

  // 4. the store holds the note once, with its value, and no draft
  const { items } = await stack.sdk.store.searchItems(namespace);
  expect(items.map(({ key, value }) => ({ key, value }))).toEqual([{ key: "final", value: { text: "hello" } }]);
});
