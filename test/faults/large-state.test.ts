// A thread whose messages grow past Temporal's 2 MiB payload limit keeps working: the state
// lives in the checkpointer, and only ids and short summaries cross Temporal.
import { temporal } from "@temporalio/proto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { workflowIdForThread } from "../../workflows/shared.ts";
import { startStack, type Stack } from "../helpers/stack.ts";

const MIB = 1024 * 1024;
const RUNS = 3;
/** Temporal refuses any single payload above 2 MiB (and warns from 512 KiB). */
const TEMPORAL_PAYLOAD_LIMIT = 2 * MIB;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

interface Message {
  type: string;
  content: string;
}

it(`keeps a thread working as its messages grow to ${RUNS} MiB`, async () => {
  const thread = await stack.sdk.threads.create();
  const historySizes: number[] = [];
  for (let i = 1; i <= RUNS; i++) {
    // 1. each run adds a ~1 MiB user message (distinct per run)
    const content = `run ${i} `.padEnd(MIB, String.fromCharCode(96 + i));
    const run = await stack.sdk.runs.create(thread.thread_id, "echo-messages", { input: { messages: [{ role: "user", content }] } });
    const joined = (await stack.sdk.runs.join(thread.thread_id, run.run_id)) as { messages: Message[] };
    expect((await stack.sdk.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
    expect(joined.messages.at(-1)?.content).toBe(`received ${MIB} characters; ${2 * i - 1} messages so far`);

    // 2. the run's whole Temporal history stays small: nothing of the state went through it
    const history = await stack.api.client.workflow.getHandle(workflowIdForThread(thread.thread_id)).fetchHistory();
    historySizes.push(temporal.api.history.v1.History.encode(history).finish().length);
  }

  // 3. the thread holds every message, well past 2 MiB, and still answers
  const state = await stack.sdk.threads.getState(thread.thread_id);
  const messages = (state.values as { messages: Message[] }).messages;
  expect(messages).toHaveLength(2 * RUNS);
  const stateBytes = Buffer.byteLength(JSON.stringify(state.values));
  expect(stateBytes).toBeGreaterThan(TEMPORAL_PAYLOAD_LIMIT);
  expect(messages.filter((m) => m.type === "human").map((m) => m.content.slice(0, 6))).toEqual(["run 1 ", "run 2 ", "run 3 "]);
  for (const size of historySizes) expect(size).toBeLessThan(64 * 1024);
  console.log(`thread state ${(stateBytes / MIB).toFixed(1)} MiB; Temporal history per run ${historySizes.map((s) => `${(s / 1024).toFixed(1)} KiB`).join(", ")}`);
});
