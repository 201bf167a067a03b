// Runs (spec §5): create, list with each filter, get, join, wait, cancel, delete, batch,
// stateless, if_not_exists, after_seconds, breakpoints (and a tool call edited at one), commands, forks, recursion_limit,
// config and context, errors.
import { describe } from "vitest";
import { differentialFile, scenario } from "./harness.ts";

differentialFile();

const FAST = { configurable: { step_node_ms: 0 } };
const SLOW = { configurable: { step_node_ms: 400 } };
const HELLO = { messages: [{ role: "user", content: "hello" }] };
const WEATHER = { messages: [{ role: "user", content: "what's the weather in sf" }] };

describe("runs", () => {
  scenario("create, join, get, list with filters, delete", async (t) => {
    const thread = await t.call("create thread", (c) => c.threads.create());
    const first = await t.call("create", (c) => c.runs.create(thread.thread_id, "steps", { input: { seed: 1 }, config: FAST, metadata: { n: 1 } }));
    await t.call("join", (c) => c.runs.join(thread.thread_id, first.run_id));
    await t.call("get", (c) => c.runs.get(thread.thread_id, first.run_id));
    await t.call("ask", (c) => c.runs.wait(thread.thread_id, "asking", { input: { answer: "" } }));
    await t.call("list", (c) => c.runs.list(thread.thread_id), { unordered: true });
    for (const status of ["pending", "running", "success", "error", "interrupted", "timeout"] as const) {
      await t.call(`list status ${status}`, (c) => c.runs.list(thread.thread_id, { status }), { unordered: true });
    }
    await t.call("list select", (c) => c.runs.list(thread.thread_id, { select: ["run_id", "status"] }), { unordered: true });
    await t.call("delete", (c) => c.runs.delete(thread.thread_id, first.run_id));
    await t.call("get deleted", (c) => c.runs.get(thread.thread_id, first.run_id));
    await t.call("list after delete", (c) => c.runs.list(thread.thread_id), { unordered: true });
    await t.call("get on a missing thread", (c) => c.runs.get("00000000-0000-4000-8000-000000000000", first.run_id));
    await t.call("list on a missing thread", (c) => c.runs.list("00000000-0000-4000-8000-000000000000"), { unordered: true });
  });

  scenario("wait and join on a graph that raises", async (t) => {
    const thread = await t.call("create thread", (c) => c.threads.create());
    await t.call("wait", (c) => c.runs.wait(thread.thread_id, "failing", { input: { text: "x" } }));
    await t.http("wait raw", "POST", `/threads/${thread.thread_id}/runs/wait`, { assistant_id: "failing", input: { text: "x" } });
    const run = await t.call("create", (c) => c.runs.create(thread.thread_id, "failing", { input: { text: "x" } }));
    await t.call("join", (c) => c.runs.join(thread.thread_id, run.run_id));
    await t.http("join raw", "GET", `/threads/${thread.thread_id}/runs/${run.run_id}/join`);
    await t.call("get", (c) => c.runs.get(thread.thread_id, run.run_id));
    await t.call("thread", (c) => c.threads.get(thread.thread_id));
    await t.call("state", (c) => c.threads.getState(thread.thread_id));
  });

  scenario("recursion_limit across super-steps", async (t) => {
    const thread = await t.call("create thread", (c) => c.threads.create());
    await t.http("wait with recursion_limit 3", "POST", `/threads/${thread.thread_id}/runs/wait`, {
      assistant_id: "steps",
      input: { seed: 1 },
      config: { ...FAST, recursion_limit: 3 },
    });
    const runs = await t.call("list", (c) => c.runs.list(thread.thread_id), { unordered: true });
    const run = await t.call("create with recursion_limit 2", (c) => c.runs.create(thread.thread_id, "steps", { input: { seed: 1 }, config: { ...FAST, recursion_limit: 2 } }));
    await t.http("join raw", "GET", `/threads/${thread.thread_id}/runs/${run.run_id}/join`);
    await t.call("get", (c) => c.runs.get(thread.thread_id, run.run_id));
    await t.call("state", (c) => c.threads.getState(thread.thread_id));
    await t.call("enough steps", (c) => c.runs.wait(thread.thread_id, "steps", { input: { seed: 1 }, config: { ...FAST, recursion_limit: 6 } }));
    t.note("first run", runs[0]?.status);
  });

  scenario("stateless runs: wait, create + join, stream, batch", async (t) => {
    await t.call("wait", (c) => c.runs.wait(null, "echo", { input: HELLO }));
    await t.stream("stream", (c) => c.runs.stream(null, "echo", { input: HELLO, streamMode: ["values", "updates"] }));
    // Stateless runs' metadata names their graph and assistant here (README): compared without it.
    const batch = await t.call("batch", (c) =>
      c.runs
        .createBatch([
          { assistantId: "steps", input: { seed: 1 }, config: FAST },
          { assistantId: "echo", input: HELLO },
        ])
        .then((runs) => runs.map(({ run_id, assistant_id, multitask_strategy }) => ({ run_id, assistant_id, multitask_strategy }))),
    );
    t.note("batch size", batch.length);
  });

  scenario("if_not_exists, after_seconds, config, context", async (t) => {
    const id = "5f3c9a52-0b8e-4c57-9d1e-6f1f1a7a2b01";
    await t.call("if_not_exists create", (c) => c.runs.wait(id, "echo", { input: HELLO, ifNotExists: "create" }));
    await t.call("thread created", (c) => c.threads.get(id));
    const later = await t.call("after_seconds 1", (c) => c.runs.create(id, "echo", { input: HELLO, afterSeconds: 1 }));
    await t.call("join the delayed run", (c) => c.runs.join(id, later.run_id));
    await t.call("state", (c) => c.threads.getState(id));
    const ctx = await t.call("create with config and context", (c) => c.threads.create());
    const nested = await t.call("nested with context", (c) => c.runs.create(ctx.thread_id, "nested", { input: { topic: "t" }, context: { model: "m" }, config: { tags: ["x"], configurable: { extra: 1 } } }));
    // Joined first: a list straight after the create races the run on either server.
    await t.call("join it", (c) => c.runs.join(ctx.thread_id, nested.run_id));
    await t.call("runs of it", (c) => c.runs.list(ctx.thread_id), { unordered: true });
    await t.call("assistant with a bad graph", (c) => c.runs.create(ctx.thread_id, "no-such-assistant", { input: {} }));
  });

  scenario("interrupt_before / interrupt_after, then continued", async (t) => {
    const thread = await t.call("create thread", (c) => c.threads.create());
    await t.call("before s3", (c) => c.runs.wait(thread.thread_id, "steps", { input: { seed: 1 }, config: FAST, interruptBefore: ["s3"] }));
    await t.call("state at s3", (c) => c.threads.getState(thread.thread_id));
    await t.call("thread", (c) => c.threads.get(thread.thread_id));
    await t.call("continue, after s4", (c) => c.runs.wait(thread.thread_id, "steps", { input: null, config: FAST, interruptAfter: ["s4"] }));
    await t.call("state after s4", (c) => c.threads.getState(thread.thread_id));
    await t.call("continue to the end", (c) => c.runs.wait(thread.thread_id, "steps", { input: null, config: FAST }));
    await t.call("runs", (c) => c.runs.list(thread.thread_id), { unordered: true });
    await t.call("history", (c) => c.threads.getHistory(thread.thread_id));
    const all = await t.call("create thread 2", (c) => c.threads.create());
    await t.call("before every node", (c) => c.runs.wait(all.thread_id, "steps", { input: { seed: 1 }, config: FAST, interruptBefore: "*" }));
    await t.call("state", (c) => c.threads.getState(all.thread_id));
  });

  scenario("the tools agent: breakpoint before tools, the tool call edited by message id, continued", async (t) => {
    const thread = await t.call("thread", (c) => c.threads.create());
    await t.call("until tools", (c) => c.runs.wait(thread.thread_id, "agent", { input: WEATHER, interruptBefore: ["tools"] }));
    const state = await t.call("state", (c) => c.threads.getState(thread.thread_id));
    const last = (state.values as { messages: Array<{ tool_calls: Array<{ args: object }> }> }).messages.at(-1)!;
    const edited = { ...last, tool_calls: last.tool_calls.map((call) => ({ ...call, args: { ...call.args, city: "nyc", query: "nyc" } })) };
    await t.call("edit by id", (c) => c.threads.updateState(thread.thread_id, { values: { messages: [edited] } }));
    await t.call("state after the edit", (c) => c.threads.getState(thread.thread_id));
    await t.stream("continue", (c) => c.runs.stream(thread.thread_id, "agent", { input: null, streamMode: ["updates", "messages-tuple"] }));
    await t.call("final state", (c) => c.threads.getState(thread.thread_id));
  });

  scenario("commands: resume, update, goto; checkpoint_id forks", async (t) => {
    const thread = await t.call("create thread", (c) => c.threads.create());
    await t.call("ask", (c) => c.runs.wait(thread.thread_id, "asking", { input: { answer: "" } }));
    await t.call("resume", (c) => c.runs.wait(thread.thread_id, "asking", { command: { resume: "Paris" } }));
    await t.call("update and goto", (c) => c.runs.wait(thread.thread_id, "asking", { command: { update: { answer: "Rome" }, goto: "respond" } }));
    const history = await t.call("history", (c) => c.threads.getHistory(thread.thread_id));
    const start = history.find((s) => s.next.includes("ask"))!;
    await t.call("fork from the first checkpoint", (c) =>
      c.runs.wait(thread.thread_id, "asking", { input: { answer: "" }, checkpointId: start.checkpoint.checkpoint_id! }),
    );
    await t.call("state after the fork", (c) => c.threads.getState(thread.thread_id));
    await t.call("history after the fork", (c) => c.threads.getHistory(thread.thread_id, { limit: 3 }));
    const routed = await t.call("router thread", (c) => c.threads.create());
    await t.call("router with Send", (c) => c.runs.wait(routed.thread_id, "router", { input: { items: ["a", "b"] } }));
    await t.call("router history", (c) => c.threads.getHistory(routed.thread_id));
    await t.call("router skip", (c) => c.runs.wait(routed.thread_id, "router", { input: { items: [] } }));
  });

  // Rollback, cancelling an ended run and bulk cancel answer differently on the oracle on
  // purpose (README); they are covered by test/e2e/run-outcomes.test.ts and multitask.test.ts.
  scenario("cancel with wait", async (t) => {
    const thread = await t.call("create thread", (c) => c.threads.create());
    const run = await t.call("create slow", (c) => c.runs.create(thread.thread_id, "steps", { input: { seed: 1 }, config: SLOW }));
    await new Promise((resolve) => setTimeout(resolve, 600));
    await t.call("cancel with wait", (c) => c.runs.cancel(thread.thread_id, run.run_id, true));
    await t.call("get", (c) => c.runs.get(thread.thread_id, run.run_id));
    await t.call("thread status", (c) => c.threads.get(thread.thread_id).then(({ status }) => status));
  });
});
