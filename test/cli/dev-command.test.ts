// `langgraph-temporal dev` (what `npm start` runs): one command brings up the Temporal dev
// server with its Web UI, a worker and the API, and prints where each one is.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { inject } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { freePort } from "../../src/temporal/dev-server.ts";
import { startCli, type CliProcess } from "../helpers/processes.ts";
import { eventually } from "../helpers/eventually.ts";
import { FIXTURES, REPO_ROOT } from "../helpers/stack.ts";

let dev: CliProcess | undefined;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-dev-"));
afterAll(async () => {
  await dev?.kill("SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface DevPorts {
  temporalPort: number;
  uiPort: number;
  apiPort: number;
}

/** `dev` serving the example agent (or `config`) on free ports (or `ports`), its data in `folder`. */
async function startDev(folder: string, options: { config?: string; env?: Record<string, string>; ports?: DevPorts } = {}): Promise<{ cli: CliProcess } & DevPorts> {
  const ports = options.ports ?? { temporalPort: await freePort(), uiPort: await freePort(), apiPort: await freePort() };
  const config = options.config ?? path.join(REPO_ROOT, "examples/weather-agent/langgraph.json");
  const cli = startCli(["dev", "--config", config, "--port", String(ports.apiPort), "--data-dir", folder], {
    ...process.env,
    TEMPORAL_CLI_PATH: inject("temporalCli"),
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporalPort}`,
    TEMPORAL_UI_PORT: String(ports.uiPort),
    ...options.env,
  });
  return { cli, ...ports };
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

it("after a dev killed outright, the next dev on its data folder stops the Temporal server left behind and finishes the run in flight", async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-dev-"));
  const nodeLog = path.join(folder, "nodes.log");
  const env = { SLOW_NODE_MS: "1000", NODE_EXECUTION_LOG: nodeLog, STEP_HEARTBEAT_TIMEOUT_SECONDS: "2" };
  const { cli: first, ...ports } = await startDev(folder, { config: path.join(FIXTURES, "langgraph.json"), env });
  let second: CliProcess | undefined;
  let leftover: number | undefined;
  try {
    const [, apiUrl] = await first.waitFor(/API: (http:\/\/\S+)/, 90_000);
    const client = new Client({ apiUrl });
    const thread = await client.threads.create();
    const run = await client.runs.create(thread.thread_id, "slow", { input: {} });
    // Killed while the run's second node runs: the first one's step is committed.
    await eventually(async () => (fs.existsSync(nodeLog) && fs.readFileSync(nodeLog, "utf8").includes("start b") ? true : undefined), 30_000);
    await first.kill("SIGKILL");
    leftover = Number(fs.readFileSync(path.join(folder, "temporal.pid"), "utf8").split(" ")[0]);
    expect(isAlive(leftover)).toBe(true);

    second = (await startDev(folder, { config: path.join(FIXTURES, "langgraph.json"), env, ports })).cli;
    await second.waitFor(/API: http/, 90_000);
    expect(second.output()).toContain(`stopped the Temporal dev server (pid ${leftover}) that an earlier dev left running on this data folder`);
    expect(isAlive(leftover)).toBe(false);
    expect(await new Client({ apiUrl }).runs.join(thread.thread_id, run.run_id)).toEqual({ visited: ["a", "b", "c"] });
    // The committed step did not run again.
    expect(fs.readFileSync(nodeLog, "utf8").match(/start a/g)).toHaveLength(1);

    // A dev that still runs is not a leftover: a third one on the folder refuses, the second goes on.
    const third = (await startDev(folder, { config: path.join(FIXTURES, "langgraph.json"), env })).cli;
    await third.waitFor(/another dev \(pid \d+\) is running on the data folder/, 60_000);
    await new Promise((resolve) => (third.child.exitCode !== null ? resolve(undefined) : third.child.once("exit", resolve)));
    expect(third.child.exitCode).toBe(1);
    expect((await fetch(`${apiUrl}/ok`)).status).toBe(200);
  } finally {
    await first.kill("SIGKILL");
    await second?.kill("SIGTERM");
    if (leftover && isAlive(leftover)) process.kill(leftover, "SIGKILL");
    fs.rmSync(folder, { recursive: true, force: true });
  }
}, 180_000);

it("stops on SIGTERM within its grace times while a join waits on a long run and a client sent half a request", async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-dev-"));
  // Three nodes of a minute each: a join on the run would hold the API for three minutes.
  const { cli } = await startDev(folder, { config: path.join(FIXTURES, "langgraph.json"), env: { SLOW_NODE_MS: "60000" } });
  const socket = new net.Socket();
  try {
    const [, apiUrl] = await cli.waitFor(/API: (http:\/\/\S+)/, 90_000);
    const client = new Client({ apiUrl });
    const thread = await client.threads.create();
    const run = await client.runs.create(thread.thread_id, "slow", { input: {} });
    const oneTry = new Client({ apiUrl, callerOptions: { maxRetries: 0 } });
    const join = oneTry.runs.join(thread.thread_id, run.run_id).then(() => "answered", () => "cut off");
    const { port } = new URL(apiUrl!);
    await new Promise<void>((resolve) => socket.connect(Number(port), "127.0.0.1", resolve));
    socket.on("error", () => undefined);
    socket.write("GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    await eventually(async () => ((await client.runs.get(thread.thread_id, run.run_id)).status === "running" ? true : undefined), 30_000);

    const signalled = Date.now();
    await cli.kill("SIGTERM");
    // The API's grace (5 s), then the worker's for its step in flight (20 s), then the rest.
    expect(Date.now() - signalled).toBeLessThan(40_000);
    expect(await join).toBe("cut off");
  } finally {
    socket.destroy();
    await cli.kill("SIGKILL");
    fs.rmSync(folder, { recursive: true, force: true });
  }
}, 180_000);

/** Running, and not a zombie waiting to be reaped. */
function isAlive(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}
