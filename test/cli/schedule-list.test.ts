// `langgraph-temporal temporal schedule list` shows each cron by a readable id (issue 14), and
// its memo names the cron, the assistant and the thread, as the Web UI's Schedules page does.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { REPO_ROOT, startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

const temporal = async (...args: string[]) => {
  const env = { ...process.env, TEMPORAL_CLI_PATH: inject("temporalCli") };
  const cli = [path.join(REPO_ROOT, "bin/langgraph-temporal.js"), "temporal", ...args, "--address", inject("temporalAddress")];
  return (await promisify(execFile)(process.execPath, cli, { env })).stdout;
};

it("lists each cron's Schedule as cron-<cron_id>, with a memo naming it", async () => {
  const thread = await stack.sdk.threads.create();
  const cron = await stack.sdk.crons.createForThread(thread.thread_id, "echo-messages", { schedule: "0 9 * * 1" });
  const stateless = await stack.sdk.crons.create("echo-messages", { schedule: "0 9 * * 1" });

  const listed = await temporal("schedule", "list");
  expect(listed).toContain(`cron-${cron.cron_id}`);
  expect(listed).toContain(`cron-${stateless.cron_id}`);
  expect(listed).toContain("cronWorkflow");

  // The CLI prints memo fields as JSON payloads, base64-encoded.
  const described = JSON.parse(await temporal("schedule", "describe", "--schedule-id", `cron-${cron.cron_id}`, "--output", "json"));
  const memo = Object.fromEntries(
    Object.entries(described.memo.fields as Record<string, { data: string }>).map(([key, { data }]) => [key, JSON.parse(Buffer.from(data, "base64").toString())]),
  );
  expect(memo).toEqual({ cron_id: cron.cron_id, assistant_id: cron.assistant_id, thread_id: thread.thread_id });

  await stack.sdk.crons.delete(cron.cron_id);
  await stack.sdk.crons.delete(stateless.cron_id);
}, 120_000);
