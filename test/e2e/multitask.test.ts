// Double texting (spec §5.3), cancel (§5.4) and the one-run-per-thread lock under load.
// The slow graph runs a → b → c, each node taking SLOW_NODE_MS and logging start/end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeExecutions, startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { SLOW_NODE_MS: "1500" } });
});
afterAll(async () => stack?.stop());

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const visited = async (threadId: string) => ((await stack.sdk.threads.getState(threadId)).values as { visited?: string[] }).visited;

describe("multitask strategies", () => {
  it("enqueue: the second run waits for the first, then runs on its final state", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const first = await stack.sdk.runs.create(thread_id, "slow", { input: {} });
    const second = await stack.sdk.runs.create(thread_id, "slow", { input: {}, multitaskStrategy: "enqueue" });
    expect(second).toMatchObject({ status: "pending", multitask_strategy: "enqueue" });
    expect((await stack.sdk.runs.get(thread_id, second.run_id)).status).toBe("pending");

    await stack.sdk.runs.join(thread_id, second.run_id);
    expect((await stack.sdk.runs.get(thread_id, first.run_id)).status).toBe("success");
    expect((await stack.sdk.runs.get(thread_id, second.run_id)).status).toBe("success");
    expect(await visited(thread_id)).toEqual(["a", "b", "c", "a", "b", "c"]);
    // Runs never overlapped: every start follows the previous end.
    expect(nodeExecutions(stack, thread_id)).toEqual(["a", "b", "c", "a", "b", "c"].flatMap((n) => [`start ${n}`, `end ${n}`]));
    expect((await stack.sdk.threads.get(thread_id)).status).toBe("idle");
    expect((await stack.sdk.runs.list(thread_id)).map((r) => r.run_id)).toEqual([second.run_id, first.run_id]);
  });

  it("interrupt: the running run ends interrupted with its checkpoints kept; the new run continues from them", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const first = await stack.sdk.runs.create(thread_id, "slow", { input: {} });
    await waitFor(() => nodeExecutions(stack, thread_id).includes("start b"));
    const second = await stack.sdk.runs.create(thread_id, "slow", { input: {}, multitaskStrategy: "interrupt" });
    await stack.sdk.runs.join(thread_id, second.run_id);

    expect((await stack.sdk.runs.get(thread_id, first.run_id)).status).toBe("interrupted");
    expect((await stack.sdk.runs.get(thread_id, second.run_id)).status).toBe("success");
    // a of the first run was committed and kept; its b was cut short.
    expect(await visited(thread_id)).toEqual(["a", "a", "b", "c"]);
    expect(nodeExecutions(stack, thread_id).filter((l) => l === "end b")).toHaveLength(1);
    expect((await stack.sdk.threads.get(thread_id)).status).toBe("idle");
  });

  it("rollback: the running run and every checkpoint it wrote disappear", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const first = await stack.sdk.runs.create(thread_id, "slow", { input: {} });
    await waitFor(() => nodeExecutions(stack, thread_id).includes("start b"));
    const second = await stack.sdk.runs.create(thread_id, "slow", { input: {}, multitaskStrategy: "rollback" });
    await stack.sdk.runs.join(thread_id, second.run_id);

    await expect(stack.sdk.runs.get(thread_id, first.run_id)).rejects.toThrow(/HTTP 404/);
    expect((await stack.sdk.runs.list(thread_id)).map((r) => r.run_id)).toEqual([second.run_id]);
    expect(await visited(thread_id)).toEqual(["a", "b", "c"]);
    const history = await stack.sdk.threads.getHistory(thread_id, { limit: 100 });
    expect(history.length).toBeGreaterThan(0);
    expect(history.every((state) => state.metadata?.run_id === second.run_id)).toBe(true);
    expect((await stack.sdk.threads.get(thread_id)).status).toBe("idle");
  });

  it("reject under load: of 50 concurrent creates exactly one is accepted", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${stack.url}/threads/${thread_id}/runs`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ assistant_id: "slow", input: {} }),
        }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const accepted = (await responses.find((r) => r.status === 200)!.json()) as { run_id: string };
    await stack.sdk.runs.join(thread_id, accepted.run_id);
    expect((await stack.sdk.runs.list(thread_id)).map((r) => r.run_id)).toEqual([accepted.run_id]);
    expect((await stack.sdk.threads.get(thread_id)).status).toBe("idle");
  });
});

describe("cancel", () => {
  it("reaches a node waiting on a slow tool within a second; the run ends interrupted, the thread idle", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const run = await stack.sdk.runs.create(thread_id, "abortable", { input: {} });
    await waitFor(() => nodeExecutions(stack, thread_id).some((l) => l.startsWith("waiting")));
    const cancelledAt = Date.now();
    const response = await fetch(`${stack.url}/threads/${thread_id}/runs/${run.run_id}/cancel?wait=1`, { method: "POST" });
    expect(response.status).toBe(204);

    const aborted = nodeExecutions(stack, thread_id).find((l) => l.startsWith("aborted"));
    expect(aborted).toBeDefined();
    expect(Number(aborted!.split(" ")[1]) - cancelledAt).toBeLessThan(1000);
    expect((await stack.sdk.runs.get(thread_id, run.run_id)).status).toBe("interrupted");
    expect((await stack.sdk.threads.get(thread_id)).status).toBe("idle");
    expect(await stack.sdk.runs.join(thread_id, run.run_id)).toEqual({});
  });

  it("answers 202 at once without wait, records the reason, and a pending run never executes", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const first = await stack.sdk.runs.create(thread_id, "slow", { input: {} });
    const queued = await stack.sdk.runs.create(thread_id, "slow", { input: {}, multitaskStrategy: "enqueue" });
    const response = await fetch(`${stack.url}/threads/${thread_id}/runs/${queued.run_id}/cancel?wait=0&reason=taken`, { method: "POST" });
    expect(response.status).toBe(202);
    await stack.sdk.runs.join(thread_id, first.run_id);
    await waitFor(async () => (await stack.sdk.runs.get(thread_id, queued.run_id)).status === "interrupted");
    const cancelled = await stack.sdk.runs.get(thread_id, queued.run_id);
    expect((cancelled as unknown as { cancel_reason: string }).cancel_reason).toMatch(/^taken:/);
    expect(nodeExecutions(stack, thread_id).filter((l) => l === "start a")).toHaveLength(1);
    expect(await visited(thread_id)).toEqual(["a", "b", "c"]);
  });

  it("bulk cancel by status, and a clear 422 without a selector", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const run = await stack.sdk.runs.create(thread_id, "abortable", { input: {} });
    await waitFor(async () => (await stack.sdk.runs.get(thread_id, run.run_id)).status === "running");
    const none = await fetch(`${stack.url}/runs/cancel`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(none.status).toBe(422);
    expect(((await none.json()) as { detail: string }).detail).toMatch(/run_ids|status/);
    await stack.sdk.runs.cancelMany({ threadId: thread_id, status: "running" });
    await waitFor(async () => (await stack.sdk.runs.get(thread_id, run.run_id)).status === "interrupted");
  });

  it("delete: 409 while a run is in flight, 204 once it ended", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const run = await stack.sdk.runs.create(thread_id, "slow", { input: {} });
    await expect(stack.sdk.runs.delete(thread_id, run.run_id)).rejects.toThrow(/HTTP 409.*cancel it first/);
    await stack.sdk.runs.join(thread_id, run.run_id);
    await stack.sdk.runs.delete(thread_id, run.run_id);
    await expect(stack.sdk.runs.get(thread_id, run.run_id)).rejects.toThrow(/HTTP 404/);
  });
});
