// Thread state (spec §4.2): get, update (as_node), at a checkpoint, history, subgraphs, and the
// state of subgraphs stopped by interrupt() (issue 12).
import { describe } from "vitest";
import { differentialFile, scenario } from "./harness.ts";

differentialFile();

const FAST = { configurable: { step_node_ms: 0 } };

describe("thread state", () => {
  scenario("get, update, as_node, at a checkpoint, history with filters", async (t) => {
    const thread = await t.call("create", (c) => c.threads.create());
    await t.call("state of a new thread", (c) => c.threads.getState(thread.thread_id));
    await t.call("history of a new thread", (c) => c.threads.getHistory(thread.thread_id));
    await t.call("update before any run", (c) => c.threads.updateState(thread.thread_id, { values: { seed: 1 } }));
    await t.call("run", (c) => c.runs.wait(thread.thread_id, "steps", { input: { seed: 4 }, config: FAST, metadata: { mine: "yes" } }));
    const state = await t.call("state", (c) => c.threads.getState(thread.thread_id));
    const history = await t.call("history", (c) => c.threads.getHistory(thread.thread_id));
    await t.call("history limit 2", (c) => c.threads.getHistory(thread.thread_id, { limit: 2 }));
    const middle = history[3]!.checkpoint;
    await t.call("state at a checkpoint id", (c) => c.threads.getState(thread.thread_id, middle.checkpoint_id!));
    await t.call("state at a checkpoint", (c) => c.threads.getState(thread.thread_id, middle));
    await t.call("update", (c) => c.threads.updateState(thread.thread_id, { values: { trail: ["updated"] } }));
    await t.call("update as node s3", (c) => c.threads.updateState(thread.thread_id, { values: { trail: ["as s3"] }, asNode: "s3" }));
    await t.call("state after as_node", (c) => c.threads.getState(thread.thread_id));
    await t.call("update at an old checkpoint (fork)", (c) => c.threads.updateState(thread.thread_id, { values: { trail: ["fork"] }, checkpointId: middle.checkpoint_id! }));
    await t.call("state after the fork", (c) => c.threads.getState(thread.thread_id));
    await t.call("history after all that", (c) => c.threads.getHistory(thread.thread_id, { limit: 4 }));
    t.note("state checkpoint was latest", state.checkpoint.checkpoint_id === history[0]!.checkpoint.checkpoint_id);
  });

  // PATCH /state is ours only (README: the oracle answers 404).
  scenario("supersteps at creation, then a run from there", async (t) => {
    const thread = await t.call("create with supersteps", (c) =>
      c.threads.create({
        graphId: "steps",
        supersteps: [{ updates: [{ values: { seed: 5 }, asNode: "__input__" }] }, { updates: [{ values: { trail: ["s1 by hand"] }, asNode: "s1" }] }],
      }),
    );
    await t.call("state", (c) => c.threads.getState(thread.thread_id));
    await t.call("history", (c) => c.threads.getHistory(thread.thread_id));
    await t.call("run on from there", (c) => c.runs.wait(thread.thread_id, "steps", { input: null, config: FAST }));
    await t.call("history after the run", (c) => c.threads.getHistory(thread.thread_id, { limit: 3 }));
  });

  // The join body of a run stopped by several interrupt()s differs (README, not yet matched): not recorded.
  scenario("two interrupt()s in one super-step, both answered by id", async (t) => {
    const thread = await t.call("create", (c) => c.threads.create());
    await t.client.runs.wait(thread.thread_id, "parallel", { input: { items: ["a", "b"] } });
    const state = await t.call("state", (c) => c.threads.getState(thread.thread_id));
    await t.call("thread", (c) => c.threads.get(thread.thread_id));
    const interrupts = state.tasks.flatMap((task) => task.interrupts);
    const resume = Object.fromEntries(interrupts.map((i) => [i.id!, `yes ${(i.value as { item: string }).item}`]));
    await t.stream("resume", (c) => c.runs.stream(thread.thread_id, "parallel", { command: { resume }, streamMode: ["values", "updates", "tasks"] }));
    await t.call("state after", (c) => c.threads.getState(thread.thread_id));
    await t.call("history", (c) => c.threads.getHistory(thread.thread_id));
  });

  scenario("subgraph state with subgraphs=true", async (t) => {
    const thread = await t.call("create", (c) => c.threads.create());
    await t.call("run nested", (c) => c.runs.wait(thread.thread_id, "nested", { input: { topic: "x" } }));
    await t.call("state with subgraphs", (c) => c.threads.getState(thread.thread_id, undefined, { subgraphs: true }));
    await t.call("history", (c) => c.threads.getHistory(thread.thread_id));
  });

  scenario("interrupt() two subgraphs deep: state, resume without an update", async (t) => {
    const thread = await t.call("create", (c) => c.threads.create());
    await t.call("run until the interrupt", (c) => c.runs.wait(thread.thread_id, "deep", { input: { log: ["start"] } }));
    await t.call("state at the interrupt", (c) => c.threads.getState(thread.thread_id));
    await t.call("state at the interrupt with subgraphs", (c) => c.threads.getState(thread.thread_id, undefined, { subgraphs: true }));
    await t.call("thread at the interrupt", (c) => c.threads.get(thread.thread_id));
    await t.call("resume", (c) => c.runs.wait(thread.thread_id, "deep", { command: { resume: "Paris" } }));
    await t.call("state after resuming", (c) => c.threads.getState(thread.thread_id));
    await t.call("history", (c) => c.threads.getHistory(thread.thread_id));
  });

  scenario("interrupt() two subgraphs deep: resume after a state update", async (t) => {
    const thread = await t.call("create", (c) => c.threads.create());
    await t.call("run until the interrupt", (c) => c.runs.wait(thread.thread_id, "deep", { input: { log: ["start"] } }));
    await t.call("update while interrupted", (c) => c.threads.updateState(thread.thread_id, { values: { log: ["edited"] } }));
    await t.call("state after the update", (c) => c.threads.getState(thread.thread_id, undefined, { subgraphs: true }));
    await t.call("resume", (c) => c.runs.wait(thread.thread_id, "deep", { command: { resume: "Rome" } }));
    await t.call("state after resuming", (c) => c.threads.getState(thread.thread_id));
  });
});
