// Run options a Platform user relies on: human in the loop, breakpoints, wait, stateless runs,
// after_seconds, if_not_exists, webhooks.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.ts";
import { startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  // The webhook receiver listens on loopback, which the default policy refuses (issue 13).
  stack = await startStack({ env: { SLOW_NODE_MS: "200", WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" } });
});
afterAll(async () => stack?.stop());

describe("human in the loop", () => {
  it("interrupt() stops the run with the thread interrupted; a resume command finishes it", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const first = await stack.sdk.runs.create(thread_id, "approval", { input: {} });
    const paused = (await stack.sdk.runs.join(thread_id, first.run_id)) as { __interrupt__: Array<{ id: string; value: unknown }> };
    expect(paused.__interrupt__).toHaveLength(1);
    expect(paused.__interrupt__[0]!.value).toEqual({ question: 'approve "send the report"?' });
    expect((await stack.sdk.runs.get(thread_id, first.run_id)).status).toBe("success");

    // inspect
    const thread = await stack.sdk.threads.get(thread_id);
    expect(thread.status).toBe("interrupted");
    expect(Object.values(thread.interrupts).flat()).toEqual(paused.__interrupt__);
    const state = await stack.sdk.threads.getState(thread_id);
    expect(state.next).toEqual(["review"]);
    expect(state.tasks[0]).toMatchObject({ name: "review", interrupts: paused.__interrupt__ });
    expect((state as unknown as { interrupts: unknown[] }).interrupts).toEqual(paused.__interrupt__);

    // resume
    const second = await stack.sdk.runs.create(thread_id, "approval", { command: { resume: "yes" } });
    expect(await stack.sdk.runs.join(thread_id, second.run_id)).toEqual({ draft: "send the report", approved: "yes" });
    expect((await stack.sdk.threads.get(thread_id)).status).toBe("idle");
    expect((await stack.sdk.threads.getState(thread_id)).next).toEqual([]);
  });

  it("interrupt_before / interrupt_after stop the run at the node; a run without input continues", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const before = await stack.sdk.runs.create(thread_id, "slow", { input: {}, interruptBefore: ["a"] });
    expect(await stack.sdk.runs.join(thread_id, before.run_id)).toEqual({ __interrupt__: [] });
    expect((await stack.sdk.threads.get(thread_id)).status).toBe("interrupted");
    let state = await stack.sdk.threads.getState(thread_id);
    expect(state.next).toEqual(["a"]);
    expect(state.tasks).toMatchObject([{ name: "a", error: null, interrupts: [] }]);

    const after = await stack.sdk.runs.create(thread_id, "slow", { input: null, interruptAfter: ["b"] });
    await stack.sdk.runs.join(thread_id, after.run_id);
    state = await stack.sdk.threads.getState(thread_id);
    expect(state.values).toEqual({ visited: ["a", "b"] });
    expect(state.next).toEqual(["c"]);

    const rest = await stack.sdk.runs.create(thread_id, "slow", {});
    expect(await stack.sdk.runs.join(thread_id, rest.run_id)).toEqual({ visited: ["a", "b", "c"] });
    expect((await stack.sdk.threads.get(thread_id)).status).toBe("idle");
  });
});

describe("wait and stateless runs", () => {
  it("runs.wait on a thread returns the final values, with Content-Location and Location", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const response = await fetch(`${stack.url}/threads/${thread_id}/runs/wait`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ assistant_id: "factory", input: {}, config: { configurable: { name: "wait" } } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("content-location")).toMatch(new RegExp(`^/threads/${thread_id}/runs/[0-9a-f-]{36}$`));
    expect(response.headers.get("location")).toMatch(/\/join$/);
    expect(await response.json()).toEqual({ greeting: "hello wait" });
  });

  it("runs.wait raises the graph's error, as the SDK does for __error__", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    await expect(stack.sdk.runs.wait(thread_id, "failing", { input: { text: "x" } })).rejects.toThrow(/CustomError: Boo!/);
  });

  it("a stateless run gets its own thread; on_completion=keep keeps it", async () => {
    const values = await stack.sdk.runs.wait(null, "factory", { input: {}, config: { configurable: { name: "nobody" } } });
    expect(values).toEqual({ greeting: "hello nobody" });

    // The JS SDK's type says "complete" | "continue"; the API (and the Python SDK) take delete | keep.
    const kept = await stack.sdk.runs.create(null, "factory", { input: {}, onCompletion: "keep" as never });
    expect(kept.thread_id).toMatch(/^[0-9a-f-]{36}$/);
    await stack.sdk.runs.join(kept.thread_id, kept.run_id);
    const thread = await stack.sdk.threads.get(kept.thread_id);
    expect(thread.metadata).toMatchObject({ graph_id: "factory" });
    expect(thread.values).toEqual({ greeting: "hello world" });
  });

  /** The server's calls of a runs-service method that may wait (join, cancel): settled once they stop, either way. */
  function watchCalls(method: "join" | "cancel") {
    const runs = stack.api.services.runs as unknown as Record<typeof method, (...args: unknown[]) => Promise<unknown>>;
    const original = runs[method];
    const calls: Array<{ settled: boolean; outcome?: unknown }> = [];
    runs[method] = (...args) => {
      const call: { settled: boolean; outcome?: unknown } = { settled: false };
      calls.push(call);
      const pending = original.apply(runs, args);
      pending.then((value) => Object.assign(call, { settled: true, outcome: value }), (err: unknown) => Object.assign(call, { settled: true, outcome: err }));
      return pending;
    };
    return { calls, settled: () => eventually(async () => (calls[0]?.settled ? calls[0] : undefined), 5_000), restore: () => void (runs[method] = original) };
  }

  /** Sends a request that waits for a run, reads its 200 and headers, then goes away. */
  async function leaveAfterHeaders(path: string, init: RequestInit = {}) {
    const controller = new AbortController();
    const sentAt = Date.now();
    const response = await fetch(`${stack.url}${path}`, { ...init, signal: controller.signal });
    expect(response.status).toBe(200);
    // At once, not with the first keepalive newline (10 s).
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    controller.abort();
    return response;
  }

  it("a client that leaves runs.wait with on_disconnect=cancel cancels the run", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    // Delayed by a minute: the answer would be a minute of newlines.
    await leaveAfterHeaders(`/threads/${thread_id}/runs/wait`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ assistant_id: "factory", input: {}, after_seconds: 60, on_disconnect: "cancel" }),
    });
    const [run] = await eventually(async () => {
      const runs = await stack.sdk.runs.list(thread_id);
      return runs[0]?.status === "interrupted" ? runs : undefined;
    }, 10_000);
    expect(run!.status).toBe("interrupted");
  });

  it("a client that leaves a join frees the server's wait at once; the run goes on (no cancel_on_disconnect)", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const run = await stack.sdk.runs.create(thread_id, "factory", { input: {}, afterSeconds: 60 });
    const joins = watchCalls("join");
    try {
      await leaveAfterHeaders(`/threads/${thread_id}/runs/${run.run_id}/join`);
      // The wait was a long poll on the thread's workflow; leaving ends it well before the run.
      expect((await joins.settled()).outcome).toBeInstanceOf(Error);
      expect((await stack.sdk.runs.get(thread_id, run.run_id)).status).toBe("pending");
    } finally {
      joins.restore();
      await stack.sdk.runs.cancel(thread_id, run.run_id, true);
    }
  });

  it("a client that leaves a cancel with wait=true stops the server's wait; the cancel holds", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const first = await stack.sdk.runs.create(thread_id, "factory", { input: {}, afterSeconds: 60 });
    const queued = await stack.sdk.runs.create(thread_id, "factory", { input: {}, multitaskStrategy: "enqueue" });
    const cancels = watchCalls("cancel");
    try {
      // A queued run's cancel is recorded when the run ahead of it ends: a minute from now.
      const controller = new AbortController();
      const leaving = fetch(`${stack.url}/threads/${thread_id}/runs/${queued.run_id}/cancel?wait=true`, { method: "POST", signal: controller.signal });
      await eventually(async () => (cancels.calls.length > 0 ? true : undefined), 5_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      controller.abort();
      await expect(leaving).rejects.toThrow();
      expect((await cancels.settled()).outcome).toBeInstanceOf(Error);
    } finally {
      cancels.restore();
    }
    await stack.sdk.runs.cancel(thread_id, first.run_id, true);
    await eventually(async () => ((await stack.sdk.runs.get(thread_id, queued.run_id)).status === "interrupted" ? true : undefined), 10_000);
  });

  it("creates a batch of stateless runs in request order", async () => {
    const response = await fetch(`${stack.url}/runs/batch`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ assistant_id: "factory", input: {}, metadata: { n: 1 } }, { assistant_id: "factory", input: {}, metadata: { n: 2 } }]),
    });
    const runs = (await response.json()) as Array<{ metadata: { n: number }; thread_id: string }>;
    expect(runs.map((r) => r.metadata.n)).toEqual([1, 2]);
    expect(new Set(runs.map((r) => r.thread_id)).size).toBe(2);
  });
});

describe("run creation options", () => {
  it("after_seconds delays the start; the delayed run counts as in flight", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const requestedAt = Date.now();
    const run = await stack.sdk.runs.create(thread_id, "factory", { input: {}, afterSeconds: 2 });
    expect(run.status).toBe("pending");
    expect(Date.parse(run.created_at) - requestedAt).toBeGreaterThanOrEqual(1900);
    expect((await stack.sdk.threads.get(thread_id)).status).toBe("busy");
    await expect(stack.sdk.runs.create(thread_id, "factory", { input: {} })).rejects.toThrow(/HTTP 409/);
    await stack.sdk.runs.join(thread_id, run.run_id);
    expect(Date.now() - requestedAt).toBeGreaterThanOrEqual(2000);
    expect((await stack.sdk.runs.get(thread_id, run.run_id)).status).toBe("success");
  });

  it("if_not_exists=create makes the thread; the default rejects a missing thread with 404", async () => {
    const threadId = uuidv7();
    await expect(stack.sdk.runs.create(threadId, "factory", { input: {} })).rejects.toThrow(/HTTP 404/);
    const run = await stack.sdk.runs.create(threadId, "factory", { input: {}, ifNotExists: "create", metadata: { source: "test" } });
    await stack.sdk.runs.join(threadId, run.run_id);
    const thread = await stack.sdk.threads.get(threadId);
    expect(thread.metadata).toMatchObject({ graph_id: "factory", source: "test" });
    expect(thread.status).toBe("idle");
  });

  it("a negative after_seconds or a relative webhook URL is a 422 naming the field", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    for (const [field, body] of [
      ["after_seconds", { assistant_id: "factory", after_seconds: -1 }],
      ["webhook", { assistant_id: "factory", webhook: "/hooks" }],
    ] as const) {
      const response = await fetch(`${stack.url}/threads/${thread_id}/runs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(response.status).toBe(422);
      expect(((await response.json()) as { param: string }).param).toBe(field);
    }
    expect(await stack.sdk.runs.list(thread_id)).toEqual([]);
  });
});

describe("webhooks", () => {
  it("delivers exactly once per finished run, retrying a failed first attempt", async () => {
    const attempts: Array<{ status: number; body: Record<string, unknown> }> = [];
    const receiver = http.createServer((request, response) => {
      let text = "";
      request.on("data", (chunk: Buffer) => (text += chunk.toString()));
      request.on("end", () => {
        // The first delivery fails; Temporal retries the activity.
        const status = attempts.length === 0 ? 503 : 200;
        attempts.push({ status, body: JSON.parse(text) as Record<string, unknown> });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook?token=abc`;
      const { thread_id } = await stack.sdk.threads.create();
      const run = await stack.sdk.runs.create(thread_id, "factory", { input: {}, webhook: url });
      await stack.sdk.runs.join(thread_id, run.run_id);
      const deadline = Date.now() + 20_000;
      while (attempts.filter((a) => a.status === 200).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

      expect(attempts.map((a) => a.status)).toEqual([503, 200]);
      const delivered = attempts[1]!.body;
      expect(delivered).toMatchObject({ run_id: run.run_id, thread_id, status: "success", values: { greeting: "hello world" } });
      expect(delivered.run_started_at).toBeTruthy();
      expect(delivered.webhook_sent_at).toBeTruthy();
      // The run's status never depends on the delivery.
      expect((await stack.sdk.runs.get(thread_id, run.run_id)).status).toBe("success");
    } finally {
      receiver.close();
    }
  });
});
