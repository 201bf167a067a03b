// `langgraph-temporal dev` (what `npm start` runs): one command brings up the Temporal dev
// server with its Web UI, a worker and the API, and prints where each one is.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { inject } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { freePort } from "../../src/temporal/dev-server.ts";
import { startCli, type CliProcess } from "../helpers/processes.ts";
import { REPO_ROOT } from "../helpers/stack.ts";

let dev: CliProcess | undefined;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-dev-"));
afterAll(async () => {
  await dev?.kill("SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** `dev` serving the example agent on free ports, its data in `folder`. */
async function startDev(folder: string): Promise<{ cli: CliProcess; apiPort: number; uiPort: number }> {
  const [temporalPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const cli = startCli(["dev", "--config", path.join(REPO_ROOT, "examples/weather-agent/langgraph.json"), "--port", String(apiPort), "--data-dir", folder], {
    ...process.env,
    TEMPORAL_CLI_PATH: inject("temporalCli"),
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_UI_PORT: String(uiPort),
  });
  return { cli, apiPort, uiPort };
}

it("serves the example agent, prints the API and Web UI URLs, and stops on SIGTERM", async () => {
  const { cli, apiPort, uiPort } = await startDev(dataDir);
  dev = cli;
  const [, apiUrl] = await dev.waitFor(/API: (http:\/\/\S+)/, 90_000);
  expect(apiUrl).toBe(`http://127.0.0.1:${apiPort}`);
  expect(dev.output()).toContain(`Temporal Web UI: http://127.0.0.1:${uiPort}`);
  expect(dev.output()).toContain(`data folder ${dataDir}`);

  const client = new Client({ apiUrl });
  const thread = await client.threads.create();
  const run = await client.runs.create(thread.thread_id, "agent", { input: { messages: [{ role: "user", content: "what's the weather in sf" }] } });
  const values = (await client.runs.join(thread.thread_id, run.run_id)) as { messages: Array<{ content: string }> };
  expect(values.messages.at(-1)!.content).toContain("San Francisco");

  // The Web UI answers, and Temporal keeps its history in the data folder.
  expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);
  expect(fs.existsSync(path.join(dataDir, "temporal.sqlite"))).toBe(true);
  expect(fs.existsSync(path.join(dataDir, "langgraph.sqlite"))).toBe(true);

  await dev.kill("SIGTERM");
  expect(dev.child.exitCode ?? dev.child.signalCode).not.toBeNull();
}, 120_000);

it("exits when its worker stops on its own (the Temporal SDK's SIGUSR2), rather than serving an API that cannot run anything", async () => {
  const orphanDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-dev-"));
  const { cli: orphan, uiPort } = await startDev(orphanDataDir);
  try {
    const [, apiUrl] = await orphan.waitFor(/API: (http:\/\/\S+)/, 90_000);
    expect((await fetch(`${apiUrl}/ok`)).status).toBe(200);
    orphan.child.kill("SIGUSR2");
    await orphan.waitFor(/the worker stopped; stopping the process/, 30_000);
    const exitCode = await new Promise<number | null>((resolve) => {
      if (orphan.child.exitCode !== null) resolve(orphan.child.exitCode);
      else orphan.child.once("exit", (code) => resolve(code));
    });
    expect(exitCode).toBe(0);
    // Nothing is left listening: neither the API nor the Temporal dev server it started.
    await expect(fetch(`${apiUrl}/ok`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${uiPort}/`)).rejects.toThrow();
  } finally {
    await orphan.kill("SIGKILL");
    fs.rmSync(orphanDataDir, { recursive: true, force: true });
  }
}, 120_000);
