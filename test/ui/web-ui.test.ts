// The operator's view: a run whose worker was SIGKILLed mid-step, found in the Temporal Web UI
// by the run id the client holds (LangGraphRunId), shows its steps by their summaries and the
// retry: for activity tasks (durability sync) the step's second attempt, for the default local
// steps the dead worker's workflow task that timed out. Screenshots are kept in test/artifacts/.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { nodeExecutions, REPO_ROOT, startStack, type Stack } from "../helpers/stack.ts";
import { ChildProcesses, waitUntil } from "../faults/harness.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const screenshot = (durability: string) => path.join(REPO_ROOT, `test/artifacts/web-ui-retried-step-${durability}.png`);

let stack: Stack;
const workers = new ChildProcesses();
let browser: BrowserContext | undefined;
let profileDir: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  stack = await startStack({ inProcessWorker: false, env: { SLOW_NODE_MS: "1500", STEP_HEARTBEAT_TIMEOUT_SECONDS: "2" } });
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-chromium-"));
});
afterAll(async () => {
  await browser?.close();
  await workers.killAll();
  await stack?.stop();
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
});

it.each(["sync", "async"] as const)("finds the run by LangGraphRunId and shows its step summaries and the retried step (durability %s)", async (durability) => {
  // 1. a run of the slow graph a → b → c whose worker is SIGKILLed while b runs
  await workers.killAll();
  const first = await workers.startWorker(stack);
  const thread = await stack.sdk.threads.create();
  const run = await stack.sdk.runs.create(thread.thread_id, "slow", { input: {}, durability });
  await waitUntil(() => nodeExecutions(stack, thread.thread_id).includes("start b"), 30_000, "node b running");
  await first.kill("SIGKILL");
  await workers.startWorker(stack);
  expect(await stack.sdk.runs.join(thread.thread_id, run.run_id)).toEqual({ visited: ["a", "b", "c"] });

  // 2. the operator searches the Web UI's workflow list for the client's run id
  browser ??= await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: 1400, height: 1000 },
  });
  const page = await browser.newPage();
  const query = encodeURIComponent(`LangGraphRunId="${run.run_id}"`);
  const workflowId = `thread-${thread.thread_id}`;
  await page.goto(`${inject("temporalUiUrl")}/namespaces/default/workflows?query=${query}`);
  // Visibility is eventually consistent: reload until the run is listed.
  const row = page.locator(`a[href*="/workflows/${workflowId}/"]`).first();
  for (let tries = 0; ; tries++) {
    const listed = await row.waitFor({ timeout: 5000 }).then(() => true, () => false);
    if (listed) break;
    if (tries >= 6) throw new Error(`${workflowId} not listed for ${decodeURIComponent(query)}`);
    await page.reload();
  }
  await row.click();

  // 3. the workflow page
  await page.getByText("step 3 · c").first().waitFor({ timeout: 30_000 });
  fs.mkdirSync(path.dirname(screenshot(durability)), { recursive: true });
  await page.screenshot({ path: screenshot(durability), fullPage: true });
  const lines = (await page.locator("body").innerText()).split("\n").map((line) => line.trim()).filter((line) => line !== "");
  if (durability === "sync") {
    // Its timeline labels each step by its summary, and prefixes the attempt number where there
    // was more than one: step 2 ran again after the kill.
    const timeline = lines.filter((line) => line.includes("runStep • step"));
    expect(timeline.sort()).toEqual(["2 • runStep • step 2 · b", "runStep • step 1 · input", "runStep • step 3 · c"]);
  } else {
    // Its event history lists each step as a Local Activity with its summary, and the workflow
    // task that the dead worker held timing out before the other worker took the run up.
    const summaries = lines.filter((line, i) => line.startsWith("step ") && lines[i - 1] === "Summary");
    expect(summaries.sort()).toEqual(["step 1 · input", "step 2 · b", "step 3 · c"]);
    expect(lines.filter((line) => line === "Local Activity")).toHaveLength(3);
    expect(lines.filter((line) => line === "Workflow Task Timed Out")).toHaveLength(1);
  }
  await expect(page.getByText("Completed").first().isVisible()).resolves.toBe(true);

});
