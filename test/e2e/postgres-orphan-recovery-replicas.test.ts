// API replicas starting together on one PostgreSQL database recover orphaned runs one at a
// time (issue 16): each orphan is resubmitted by exactly one replica and runs once.
import { afterAll, beforeAll, expect, it } from "vitest";
import { now } from "../../src/api-types.ts";
import { newRunId } from "../../src/ids.ts";
import { openApiServices, openCore } from "../../startup/runtime.ts";
import { stacksOnPostgres } from "../helpers/postgres-for-stacks.ts";
import { startStack, type Stack } from "../helpers/stack.ts";

const ORPHANS = 6;
const REPLICAS = 3;

await stacksOnPostgres();
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

it("resubmits each orphaned run from exactly one of several replicas starting at once", async () => {
  // 1. run records written by an API that died before they reached Temporal, one per thread
  const orphans: { threadId: string; runId: string }[] = [];
  for (let i = 0; i < ORPHANS; i++) {
    const thread = await stack.sdk.threads.create();
    const template = await stack.sdk.runs.create(thread.thread_id, "factory", { input: {} });
    await stack.sdk.runs.join(thread.thread_id, template.run_id);
    const stored = (await stack.core.storage.runs.get(template.run_id))!;
    const runId = newRunId();
    const configurable = { ...stored.kwargs.config.configurable, run_id: runId };
    await stack.core.storage.runs.insert({ ...stored, run_id: runId, status: "pending", result: null, started_at: null, ended_at: null, created_at: now(), kwargs: { ...stored.kwargs, config: { ...stored.kwargs.config, configurable } } });
    await stack.core.storage.threads.update(thread.thread_id, { status: "busy" });
    orphans.push({ threadId: thread.thread_id, runId });
  }

  // 2. three API replicas, each with its own database pool, start together
  const cores = await Promise.all(Array.from({ length: REPLICAS }, () => openCore(stack.settings)));
  const replicas = await Promise.all(cores.map((core) => openApiServices(stack.settings, core)));
  try {
    const resubmitted = replicas.flatMap((r) => r.recovered.resubmitted);
    expect(resubmitted.sort()).toEqual(orphans.map((o) => o.runId).sort());
    for (const { threadId, runId } of orphans) {
      expect(await stack.sdk.runs.join(threadId, runId)).toEqual({ greeting: "hello world" });
      expect((await stack.sdk.runs.list(threadId)).map((r) => r.status)).toEqual(["success", "success"]);
      expect((await stack.sdk.threads.get(threadId)).status).toBe("idle");
    }
  } finally {
    for (const replica of replicas) await replica.close();
    for (const core of cores) await core.close();
  }
});
