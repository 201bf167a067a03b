// The operator's view of crons: the Web UI's Schedules page lists each cron by its readable id
// `cron-<cron_id>`, and its page shows the workflow each fire starts. Screenshot in test/artifacts/.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { REPO_ROOT, startStack, type Stack } from "../helpers/stack.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOT = path.join(REPO_ROOT, "test/artifacts/web-ui-cron-schedule.png");

let stack: Stack;
let browser: BrowserContext | undefined;
let profileDir: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  stack = await startStack();
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-chromium-"));
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
});

it("lists the cron's Schedule by cron-<cron_id> and opens it", async () => {
  const thread = await stack.sdk.threads.create();
  const cron = await stack.sdk.crons.createForThread(thread.thread_id, "echo-messages", { schedule: "0 9 * * 1" });
  const scheduleId = `cron-${cron.cron_id}`;

  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: 1400, height: 1000 },
  });
  const page = await browser.newPage();
  await page.goto(`${inject("temporalUiUrl")}/namespaces/default/schedules`);
  // Visibility is eventually consistent: reload until the Schedule is listed.
  const row = page.getByText(scheduleId).first();
  for (let tries = 0; ; tries++) {
    const listed = await row.waitFor({ timeout: 5000 }).then(() => true, () => false);
    if (listed) break;
    if (tries >= 6) throw new Error(`${scheduleId} not listed on the Schedules page`);
    await page.reload();
  }
  await row.click();
  await page.getByText("cronWorkflow").first().waitFor({ timeout: 30_000 });
  fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  expect(await page.locator("body").innerText()).toContain(scheduleId);
  await stack.sdk.crons.delete(cron.cron_id);
});
