// Runs that no workflow would finish are found when an API process starts (src/runs/orphan-recovery.ts).
import { afterAll, beforeAll, expect, it } from "vitest";
import { now } from "../../src/api-types.ts";
import { newRunId } from "../../src/ids.ts";
import { openApiServices } from "../../startup/runtime.ts";
import { workflowIdForThread } from "../../workflows/shared.ts";
import { startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { SLOW_NODE_MS: "2000" } });
});
afterAll(async () => stack?.stop());

it("resubmits a run whose API died before starting its workflow, and ends a run whose workflow was terminated", async () => {
  // 1. a run record written by an API that died before it reached Temporal
  const lost = await stack.sdk.threads.create();
  const template = await stack.sdk.runs.create(lost.thread_id, "factory", { input: {} });
  await stack.sdk.runs.join(lost.thread_id, template.run_id);
  const stored = (await stack.core.storage.runs.get(template.run_id))!;
  const orphanId = newRunId();
  await stack.core.storage.runs.insert({ ...stored, run_id: orphanId, status: "pending", result: null, started_at: null, ended_at: null, created_at: now(), kwargs: { ...stored.kwargs, config: { ...stored.kwargs.config, configurable: { ...stored.kwargs.config.configurable, run_id: orphanId } } } });
  await stack.core.storage.threads.update(lost.thread_id, { status: "busy" });

  // 2. a running run whose workflow an operator terminated in the Web UI
  const cut = await stack.sdk.threads.create();
  const running = await stack.sdk.runs.create(cut.thread_id, "slow", { input: {} });
  while ((await stack.sdk.runs.get(cut.thread_id, running.run_id)).status !== "running") await new Promise((r) => setTimeout(r, 50));
  await stack.api.client.workflow.getHandle(workflowIdForThread(cut.thread_id)).terminate("operator");

  // 3. a new API process starts
  const restarted = await openApiServices(stack.settings, stack.core);
  try {
    expect(restarted.recovered).toEqual({ resubmitted: [orphanId], failed: [running.run_id] });
    expect(await stack.sdk.runs.join(lost.thread_id, orphanId)).toEqual({ greeting: "hello world" });
    expect((await stack.sdk.threads.get(lost.thread_id)).status).toBe("idle");
    expect(await stack.sdk.runs.get(cut.thread_id, running.run_id)).toMatchObject({ status: "error" });
    expect((await stack.sdk.threads.get(cut.thread_id)).status).toBe("error");
  } finally {
    await restarted.close();
  }
});
