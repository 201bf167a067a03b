// Thread TTLs enforced by the TTL sweep Schedule (issue 14), swept every second here: a thread
// not updated for its TTL is deleted, or pruned to its latest checkpoint, with its runs and
// their events; a thread with a run in flight waits for the run.
import { afterAll, beforeAll, expect, it } from "vitest";
import { ttlSweepScheduleId } from "../../workflows/scheduled-shared.ts";
import { eventually } from "../helpers/eventually.ts";
import { apiCaller } from "../helpers/http.ts";
import { nodeExecutions, startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { TTL_SWEEP_INTERVAL_SECONDS: "1", SLOW_NODE_MS: "1500" } });
});
afterAll(async () => stack?.stop());

const call = apiCaller(() => stack.url);
/** TTLs are minutes: 0.05 is 3 s. */
const THREE_SECONDS = 0.05;
const hello = (text: string) => ({ messages: [{ role: "user", content: text }] });

async function runWithEvents(threadId: string, text: string) {
  const run = await stack.sdk.runs.create(threadId, "echo-messages", { input: hello(text), streamMode: ["values"] });
  await stack.sdk.runs.join(threadId, run.run_id);
  expect((await stack.core.storage.runEvents.after(run.run_id, -1, 10)).length).toBeGreaterThan(0);
  return run;
}

it("sweeps on a Temporal Schedule named after the task queue", async () => {
  const description = await stack.api.client.schedule.getHandle(ttlSweepScheduleId(stack.settings.temporal.taskQueue)).describe();
  expect(description.spec.intervals?.[0]?.every).toBe(1000);
});

it("deletes a thread past its TTL with its runs and their events", async () => {
  const thread = await stack.sdk.threads.create({ ttl: { ttl: THREE_SECONDS, strategy: "delete" } });
  const kept = await stack.sdk.threads.create();
  const run = await runWithEvents(thread.thread_id, "one");
  await runWithEvents(kept.thread_id, "stays");

  await eventually(async () => ((await call("GET", `/threads/${thread.thread_id}`)).status === 404 ? true : undefined), 20_000);
  expect(await stack.core.storage.runs.get(run.run_id)).toBeUndefined();
  expect(await stack.core.storage.runEvents.after(run.run_id, -1, 10)).toEqual([]);
  expect((await stack.sdk.threads.getHistory(kept.thread_id)).length).toBeGreaterThan(0);
  expect((await call("GET", `/threads/${kept.thread_id}`)).status).toBe(200);
});

it("prunes a keep_latest thread to its latest checkpoint, without its runs", async () => {
  const thread = await stack.sdk.threads.create();
  const first = await runWithEvents(thread.thread_id, "one");
  await runWithEvents(thread.thread_id, "two");
  const before = await stack.sdk.threads.getState<{ messages: unknown[] }>(thread.thread_id);
  expect((await stack.sdk.threads.getHistory(thread.thread_id, { limit: 100 })).length).toBeGreaterThan(2);
  // The PATCH is an update: the TTL counts from it.
  expect((await call("PATCH", `/threads/${thread.thread_id}`, { ttl: { ttl: THREE_SECONDS, strategy: "keep_latest" } })).status).toBe(200);

  await eventually(async () => ((await stack.sdk.threads.getHistory(thread.thread_id, { limit: 100 })).length === 1 ? true : undefined), 20_000);
  const after = await stack.sdk.threads.getState<{ messages: unknown[] }>(thread.thread_id);
  expect(after.values).toEqual(before.values);
  expect(after.checkpoint.checkpoint_id).toBe(before.checkpoint.checkpoint_id);
  expect(await stack.sdk.runs.list(thread.thread_id)).toEqual([]);
  expect(await stack.core.storage.runEvents.after(first.run_id, -1, 10)).toEqual([]);

  // The thread goes on from its kept state.
  await runWithEvents(thread.thread_id, "three");
  const resumed = await stack.sdk.threads.getState<{ messages: unknown[] }>(thread.thread_id);
  expect(resumed.values.messages.length).toBe(before.values.messages.length + 2);
});

it("waits for a busy thread's run, then applies its TTL", async () => {
  const thread = await stack.sdk.threads.create({ ttl: { ttl: 0.02, strategy: "delete" } });
  // Three 1.5 s nodes: the TTL (1.2 s) runs out twice over while the run is in flight.
  const run = await stack.sdk.runs.create(thread.thread_id, "slow", { input: {} });
  await stack.sdk.runs.join(thread.thread_id, run.run_id);
  expect((await stack.sdk.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
  expect(nodeExecutions(stack, thread.thread_id)).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  await eventually(async () => ((await call("GET", `/threads/${thread.thread_id}`)).status === 404 ? true : undefined), 20_000);
});
