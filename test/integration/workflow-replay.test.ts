// Replays committed workflow histories against the current workflow code (style §5), so a
// change that would break executions already running on a server fails here first.
// Histories are recorded from real runs with RECORD_HISTORIES=1 (see the last two tests), which
// rewrites `{name}.json`. Before a change that needs a new WORKFLOW_REVISION, keep the old set
// under a suffix naming the change (`{name}.before-local-records.json` is revision 1, `{name}.before-cancel-outcome.json` revision 2, `{name}.before-end-in-step.json` revision 3, `{name}.before-step-deadline.json` revision 4): executions
// started by older code must keep replaying for as long as their revision's path is kept.
// `{name}.activity-tasks.json` are revision 5 runs whose steps were activity tasks, as runs with
// durability sync still take them (the runs recorded now take the default local steps).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Worker } from "@temporalio/worker";
import { describe, expect, inject, it } from "vitest";
import { workflowIdForThread } from "../../workflows/shared.ts";
import { CRON_WORKFLOW_TYPE, TTL_SWEEP_WORKFLOW_TYPE } from "../../workflows/scheduled-shared.ts";
import { startStack } from "../helpers/stack.ts";

const HISTORIES = fileURLToPath(new URL("../fixtures/histories/", import.meta.url));
const WORKFLOWS = fileURLToPath(new URL("../../workflows/index.ts", import.meta.url));
const recorded = fs.readdirSync(HISTORIES).filter((name) => name.endsWith(".json"));

describe("workflow replay", () => {
  it("has recorded histories to replay", () => {
    expect(recorded.length).toBeGreaterThanOrEqual(4);
  });

  it.each(recorded)("replays %s", async (name) => {
    const history: unknown = JSON.parse(fs.readFileSync(path.join(HISTORIES, name), "utf8"));
    await Worker.runReplayHistory({ workflowsPath: WORKFLOWS }, history, name);
  });

  it.runIf(process.env.RECORD_HISTORIES === "1")("records histories from real runs", async () => {
    const stack = await startStack({ env: { SLOW_NODE_MS: "300" } });
    try {
      const { sdk, api } = stack;
      // The CLI writes the proto3 JSON form that the SDK's replayer reads.
      const save = async (name: string, threadId: string, runId?: string) => {
        const args = ["workflow", "show", "--address", inject("temporalAddress"), "-w", workflowIdForThread(threadId), "--output", "json"];
        const { stdout } = await promisify(execFile)(inject("temporalCli"), runId ? [...args, "-r", runId] : args, { maxBuffer: 64 << 20 });
        fs.writeFileSync(path.join(HISTORIES, `${name}.json`), stdout);
      };
      const continuedExecution = async (threadId: string) => {
        for await (const w of api.client.workflow.list({ query: `WorkflowId = "${workflowIdForThread(threadId)}"` })) {
          if (w.status.name === "CONTINUED_AS_NEW") return w.runId;
        }
        throw new Error("no execution continued as new");
      };

      const agent = await sdk.threads.create();
      const run = await sdk.runs.create(agent.thread_id, "agent", { input: { messages: [{ role: "user", content: "weather in sf" }] } });
      await sdk.runs.join(agent.thread_id, run.run_id);
      await save("agent-run", agent.thread_id);

      const queued = await sdk.threads.create();
      await sdk.runs.create(queued.thread_id, "slow", { input: {} });
      const second = await sdk.runs.create(queued.thread_id, "slow", { input: {}, multitaskStrategy: "enqueue" });
      await sdk.runs.join(queued.thread_id, second.run_id);
      await save("enqueue-continue-as-new", queued.thread_id, await continuedExecution(queued.thread_id));

      for (const strategy of ["interrupt", "rollback"] as const) {
        const thread = await sdk.threads.create();
        await sdk.runs.create(thread.thread_id, "slow", { input: {} });
        await new Promise((resolve) => setTimeout(resolve, 500));
        const next = await sdk.runs.create(thread.thread_id, "slow", { input: {}, multitaskStrategy: strategy });
        await sdk.runs.join(thread.thread_id, next.run_id);
        await save(`${strategy}-strategy`, thread.thread_id, await continuedExecution(thread.thread_id));
      }

      const failing = await sdk.threads.create();
      const failed = await sdk.runs.create(failing.thread_id, "failing", { input: { text: "x" } });
      await sdk.runs.join(failing.thread_id, failed.run_id);
      await save("graph-error", failing.thread_id);
    } finally {
      await stack.stop();
    }
  });

  // The workflows that Schedules start (crons, the TTL sweep) have histories of their own.
  it.runIf(process.env.RECORD_HISTORIES === "1")("records the scheduled workflows' histories from real fires", async () => {
    const stack = await startStack({ env: { SLOW_NODE_MS: "2000", TTL_SWEEP_INTERVAL_SECONDS: "1" } });
    try {
      const { sdk, api, settings } = stack;
      const closed = async (type: string, after: number) => {
        const query = `WorkflowType = "${type}" AND TaskQueue = "${settings.temporal.taskQueue}" AND ExecutionStatus = "Completed"`;
        for (;;) {
          for await (const w of api.client.workflow.list({ query })) if (w.startTime.getTime() >= after) return w.workflowId;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      };
      const save = async (name: string, workflowId: string) => {
        const args = ["workflow", "show", "--address", inject("temporalAddress"), "-w", workflowId, "--output", "json"];
        const { stdout } = await promisify(execFile)(inject("temporalCli"), args, { maxBuffer: 64 << 20 });
        fs.writeFileSync(path.join(HISTORIES, `${name}.json`), stdout);
      };

      const thread = await sdk.threads.create();
      let since = Date.now();
      const cron = await sdk.crons.createForThread(thread.thread_id, "echo-messages", { schedule: "*/2 * * * * * *", input: { messages: [] } });
      await save("cron-fire", await closed(CRON_WORKFLOW_TYPE, since));
      await sdk.crons.delete(cron.cron_id);

      // A fire the thread refuses (a run of its own is in flight, strategy reject).
      const busy = await sdk.threads.create();
      await sdk.runs.create(busy.thread_id, "slow", { input: {} });
      since = Date.now();
      const refused = await sdk.crons.createForThread(busy.thread_id, "slow", { schedule: "* * * * * * *", input: {} });
      await save("cron-refused", await closed(CRON_WORKFLOW_TYPE, since));
      await sdk.crons.delete(refused.cron_id);

      await save("ttl-sweep", await closed(TTL_SWEEP_WORKFLOW_TYPE, 0));
    } finally {
      await stack.stop();
    }
  });
});
