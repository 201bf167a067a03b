// Issue 16's figures: throughput and sequential latency of a one-node graph on the Temporal
// cluster next to the dev server, on the same machine in the same run, each with one `serve`
// and one `worker` process and its own database on the same PostgreSQL. The machine may be
// shared and loaded: the two columns compare, their absolute values do not travel.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Client } from "@langchain/langgraph-sdk";
import { readSettings } from "../../src/settings.ts";
import { provisionTemporalCli } from "../../src/temporal/cli-binary.ts";
import { freePort, startDevServer, type DevServer } from "../../src/temporal/dev-server.ts";
import { startClusterStack, type ClusterStack } from "./cluster-stack.ts";

const SEQUENTIAL = 20;
const CONCURRENT = 100;

let stack: ClusterStack;
let devServer: DevServer | undefined;
beforeAll(async () => {
  stack = await startClusterStack();
  const binary = await provisionTemporalCli(readSettings(process.env).temporal);
  if (!binary) throw new Error("no Temporal CLI for the dev server");
  const address = `127.0.0.1:${await freePort()}`;
  devServer = await startDevServer({ binary, address, namespace: "default", uiPort: undefined, dbFile: undefined });
});
afterAll(async () => {
  await stack?.stop();
  await devServer?.stop();
});

async function measure(sdk: Client): Promise<{ sequentialMs: number[]; runsPerSecond: number }> {
  const runWait = async () => {
    const thread = await sdk.threads.create();
    return sdk.runs.wait(thread.thread_id, "factory", { input: {} });
  };
  await runWait(); // warm-up: graph loading, connections
  const sequentialMs: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const start = performance.now();
    expect(await runWait()).toEqual({ greeting: "hello world" });
    sequentialMs.push(performance.now() - start);
  }
  const start = performance.now();
  const results = await Promise.all(Array.from({ length: CONCURRENT }, runWait));
  const runsPerSecond = CONCURRENT / ((performance.now() - start) / 1000);
  expect(results.every((r) => (r as { greeting?: string }).greeting === "hello world")).toBe(true);
  return { sequentialMs, runsPerSecond };
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

it("measures a one-node graph on the cluster and on the dev server", async () => {
  const devEnv = { TEMPORAL_ADDRESS: `${devServer!.address}`, DATABASE_URL: await stack.postgres.createDatabase() };
  const rows: string[] = [];
  for (const [name, env] of [["Temporal cluster (4 services, PostgreSQL)", {}], ["Temporal dev server (SQLite in memory)", devEnv]] as const) {
    const worker = await stack.startWorker(env);
    const api = await stack.startApi(undefined, env);
    const { sequentialMs, runsPerSecond } = await measure(api.sdk);
    rows.push(`| ${name} | ${percentile(sequentialMs, 50).toFixed(0)} | ${percentile(sequentialMs, 95).toFixed(0)} | ${runsPerSecond.toFixed(1)} |`);
    await api.process.kill("SIGTERM");
    await worker.process.kill("SIGTERM");
  }
  console.log(
    [
      `one-node graph, ${SEQUENTIAL} sequential runs/wait then ${CONCURRENT} concurrent; load average ${(await import("node:os")).loadavg()[0]!.toFixed(1)}`,
      "| Temporal | sequential p50 ms | sequential p95 ms | throughput runs/s |",
      "|---|---:|---:|---:|",
      ...rows,
    ].join("\n"),
  );
});
