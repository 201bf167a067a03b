// The production shape on one machine (issue 16): PostgreSQL, a Temporal cluster with one
// process per service, and fleets of `serve` and `worker` processes of our CLI whose storage is
// a database on the same PostgreSQL.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@langchain/langgraph-sdk";
import { readSettings, type Env } from "../../src/settings.ts";
import { freePort } from "../../src/temporal/dev-server.ts";
import { provisionTemporalServer } from "../../src/temporal/server-binary.ts";
import { CONFIG_PATH } from "../faults/harness.ts";
import { startPostgres, type PostgresServer } from "../helpers/postgres-server.ts";
import { startCli, type CliProcess } from "../helpers/processes.ts";
import { startTemporalCluster, type TemporalCluster } from "./temporal-cluster.ts";

export interface ApiProcess {
  process: CliProcess;
  port: number;
  url: string;
  sdk: Client;
}

export interface ClusterStack {
  postgres: PostgresServer;
  databaseUrl: string;
  temporal: TemporalCluster;
  /** Environment of every `serve` and `worker` process. */
  env: Env;
  nodeLog: string;
  logDir: string;
  /** A `worker` process, serving Prometheus metrics at `metricsUrl`. */
  startWorker(env?: Env): Promise<{ process: CliProcess; metricsUrl: string }>;
  /** A `serve` process on `port` (a free one when omitted); `env` overrides the stack's. */
  startApi(port?: number, env?: Env): Promise<ApiProcess>;
  stop(): Promise<void>;
}

export async function startClusterStack(extraEnv: Env = {}): Promise<ClusterStack> {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-cluster-"));
  const binaries = await provisionTemporalServer(readSettings(process.env).temporal.cacheDir);
  const postgres = await startPostgres();
  const started: CliProcess[] = [];
  let temporal: TemporalCluster | undefined;
  const stop = async () => {
    for (const child of started) await child.kill("SIGKILL");
    await temporal?.stop();
    await postgres.stop();
    fs.rmSync(logDir, { recursive: true, force: true });
  };
  try {
    const pgUrl = new URL(postgres.url);
    temporal = await startTemporalCluster(binaries, { host: pgUrl.hostname, port: Number(pgUrl.port), user: pgUrl.username }, logDir);
    const databaseUrl = await postgres.createDatabase();
    const nodeLog = path.join(logDir, "node-executions.log");
    const env: Env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      NODE_EXECUTION_LOG: nodeLog,
      STEP_HEARTBEAT_TIMEOUT_SECONDS: "2",
      STEP_RETRY_INITIAL_INTERVAL_MS: "200",
      ...extraEnv,
    };
    const cli = (args: string[], processEnv: Env = {}) => {
      const child = startCli([...args, "--config", CONFIG_PATH, "--data-dir", logDir], { ...env, ...processEnv });
      started.push(child);
      // A process that dies on its own shows why, at once (the test would only see runs stall).
      // 143 is the CLI's exit after a SIGTERM the test sent; SIGKILLs are the test's too.
      child.child.once("exit", (code, signal) => {
        if (signal === null && code !== 0 && code !== 143) console.error(`${args[0]} process ${child.child.pid} exited (${code ?? signal}):\n${child.output().slice(-4000)}`);
      });
      return child;
    };
    return {
      postgres,
      databaseUrl,
      temporal,
      env,
      nodeLog,
      logDir,
      async startWorker(processEnv = {}) {
        const metricsAddress = `127.0.0.1:${await freePort()}`;
        const worker = cli(["worker"], { WORKER_METRICS_ADDRESS: metricsAddress, ...processEnv });
        await worker.waitFor(/worker polling/, 120_000);
        return { process: worker, metricsUrl: `http://${metricsAddress}/metrics` };
      },
      async startApi(port, processEnv = {}) {
        const chosen = port ?? (await freePort());
        const api = cli(["serve", "--port", String(chosen)], processEnv);
        const [, url] = (await api.waitFor(/API: (http:\/\/\S+)/, 120_000)) as RegExpMatchArray & [string, string];
        return { process: api, port: chosen, url, sdk: new Client({ apiUrl: url }) };
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
