// Double texting (spec §5.4): reject, enqueue, interrupt, rollback.
import { describe } from "vitest";
import { differentialFile, scenario } from "./harness.ts";

differentialFile();

const SLOW = { configurable: { step_node_ms: 300 } };

describe("multitask strategies", () => {
  for (const strategy of ["reject", "enqueue", "interrupt", "rollback"] as const) {
    scenario(strategy, async (t) => {
      const thread = await t.call("create thread", (c) => c.threads.create());
      const first = await t.call("first", (c) => c.runs.create(thread.thread_id, "steps", { input: { seed: 1 }, config: SLOW }));
      await new Promise((resolve) => setTimeout(resolve, 400));
      // A refused run is 409 here and 422 on the oracle (README): only the refusal compares.
      const second = await t.client.runs.create(thread.thread_id, "steps", { input: { seed: 2 }, config: SLOW, multitaskStrategy: strategy }).catch(() => undefined);
      t.note("second accepted", second !== undefined);
      // A run rolled back is gone here, as in the spec; the oracle keeps it (README).
      // How far an interrupted run got depends on timing: only its status compares.
      if (strategy !== "rollback") {
        if (strategy === "interrupt") await t.client.runs.join(thread.thread_id, first.run_id);
        else await t.call("join first", (c) => c.runs.join(thread.thread_id, first.run_id));
        await t.call("first run", (c) => c.runs.get(thread.thread_id, first.run_id).then(({ status, multitask_strategy }) => ({ status, multitask_strategy })));
      }
      // After a rollback the oracle's state keeps what the rolled-back run wrote (README).
      if (second && strategy !== "rollback" && strategy !== "interrupt") await t.call("join second", (c) => c.runs.join(thread.thread_id, second.run_id));
      if (second && strategy === "interrupt") await t.client.runs.join(thread.thread_id, second.run_id);
      if (strategy !== "rollback") {
        await t.call("runs", (c) =>
          c.runs.list(thread.thread_id).then((runs) => runs.sort((a, b) => a.created_at.localeCompare(b.created_at)).map(({ run_id, status }) => ({ run_id, status }))),
        );
        if (strategy !== "interrupt") await t.call("state", (c) => c.threads.getState(thread.thread_id));
      }
    });
  }

  scenario("a run queued behind another, with its own config and metadata: the thread keeps the first's", async (t) => {
    const thread = await t.call("create thread", (c) => c.threads.create());
    const first = await t.call("first", (c) => c.runs.create(thread.thread_id, "steps", { input: { seed: 1 }, config: { configurable: { step_node_ms: 100 } } }));
    await t.stream("second, queued and streamed", (c) =>
      c.runs.stream(thread.thread_id, "steps", { input: { seed: 2 }, config: { configurable: { step_node_ms: 0 } }, metadata: { second: true }, multitaskStrategy: "enqueue", streamMode: ["values"] }),
    );
    await t.call("join first", (c) => c.runs.join(thread.thread_id, first.run_id));
    await t.call("thread", (c) => c.threads.get(thread.thread_id));
  });
});
