// A real Temporal cluster for the cluster suite (issue 16): the v1.29.1 server on PostgreSQL,
// its schemas applied with Temporal's SQL tool, each service (frontend, history, matching,
// worker) in its own process, started from deploy/temporal/ — the files docker-compose.yml uses.
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { Connection } from "@temporalio/client";
import { msToTs } from "@temporalio/common/lib/time.js";
import { freePort } from "../../src/temporal/dev-server.ts";
import { TEMPORAL_SERVER_VERSION, type ServerBinaries } from "../../src/temporal/server-binary.ts";
import { REPO_ROOT } from "../helpers/stack.ts";

const run = promisify(execFile);

export const SERVICES = ["history", "matching", "frontend", "worker"] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Relative to --root: the server joins the two. */
export const CONFIG_DIR = "deploy/temporal/config";
export const DYNAMIC_CONFIG_FILE = path.join(REPO_ROOT, "deploy/temporal/dynamicconfig/production.yaml");

export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
}

export interface TemporalCluster {
  /** The frontend's gRPC address, for TEMPORAL_ADDRESS. */
  address: string;
  /** Each service's Prometheus endpoint. */
  metricsUrls: Record<ServiceName, string>;
  /** SIGKILLs one service's process and starts it again on the same ports. */
  restart(service: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

/** The server's schema folders, from the Go module cache the binaries were built from. */
function schemaDir(store: "temporal" | "visibility"): string {
  const modCache = execFileSync("go", ["env", "GOMODCACHE"], { encoding: "utf8" }).trim();
  return path.join(modCache, `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`, "schema/postgresql/v12", store, "versioned");
}

/** Creates `database` and brings it to the newest schema version this server ships. */
async function applySchema(sql: string, pg: PostgresEndpoint, database: string, store: "temporal" | "visibility"): Promise<void> {
  const env = { ...process.env, SQL_PLUGIN: "postgres12", SQL_HOST: pg.host, SQL_PORT: String(pg.port), SQL_USER: pg.user, SQL_DATABASE: database };
  await run(sql, ["create-database"], { env });
  await run(sql, ["setup-schema", "-v", "0.0"], { env });
  await run(sql, ["update-schema", "-d", schemaDir(store)], { env });
}

export async function startTemporalCluster(binaries: ServerBinaries, pg: PostgresEndpoint, logDir: string): Promise<TemporalCluster> {
  await applySchema(binaries.sql, pg, "temporal", "temporal");
  await applySchema(binaries.sql, pg, "temporal_visibility", "visibility");

  const ports: Record<string, string> = {};
  for (const name of ["FRONTEND_GRPC", "FRONTEND_MEMBERSHIP", "FRONTEND_HTTP", "HISTORY_GRPC", "HISTORY_MEMBERSHIP", "MATCHING_GRPC", "MATCHING_MEMBERSHIP", "WORKER_GRPC", "WORKER_MEMBERSHIP"]) {
    ports[`${name}_PORT`] = String(name.endsWith("MEMBERSHIP") ? await freeMembershipPort() : await freePort());
  }
  const metricsPorts = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePort()] as const))) as Record<ServiceName, number>;
  const address = `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`;
  const baseEnv = {
    ...process.env,
    ...ports,
    POSTGRES_HOST: pg.host,
    POSTGRES_PORT: String(pg.port),
    POSTGRES_USER: pg.user,
    POSTGRES_PASSWORD: "",
    BIND_ON_IP: "127.0.0.1",
    TEMPORAL_BROADCAST_ADDRESS: "127.0.0.1",
    TEMPORAL_FRONTEND_ADDRESS: address,
    DYNAMIC_CONFIG_FILE,
  };

  const children = new Map<ServiceName, ChildProcess>();
  let stopping = false;
  // Like compose's `restart: on-failure`: a service exits when it cannot reach PostgreSQL at
  // start (e.g. during the database's restart) or loses the start-up race to initialise the
  // cluster metadata; its supervisor starts it again.
  const supervise = (service: ServiceName, child: ChildProcess) =>
    child.once("exit", (_code, signal) => {
      if (!stopping && signal !== "SIGKILL") setTimeout(() => stopping || spawnService(service), 1000);
    });
  const spawnService = (service: ServiceName) => {
    const log = fs.openSync(path.join(logDir, `temporal-${service}.log`), "a");
    const args = ["--root", REPO_ROOT, "--config", CONFIG_DIR, "--env", "production", "--allow-no-auth", "start", "--service", service];
    const env = { ...baseEnv, PROMETHEUS_PORT: String(metricsPorts[service]) };
    const child = spawn(binaries.server, args, { env, stdio: ["ignore", log, log] });
    fs.closeSync(log);
    children.set(service, child);
    supervise(service, child);
  };
  const kill = async (service: ServiceName) => {
    const child = children.get(service);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  };

  for (const service of SERVICES) spawnService(service);
  const cluster: TemporalCluster = {
    address,
    metricsUrls: Object.fromEntries(SERVICES.map((s) => [s, `http://127.0.0.1:${metricsPorts[s]}/metrics`])) as Record<ServiceName, string>,
    async restart(service) {
      await kill(service);
      spawnService(service);
    },
    async stop() {
      stopping = true;
      for (const service of SERVICES) await kill(service);
    },
  };
  try {
    await registerDefaultNamespace(address, logDir);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

/** Temporal stores membership ports as SQL smallint: a free port below 32768, not an ephemeral one. */
async function freeMembershipPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer().once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/**
 * Waits for the frontend and registers the `default` namespace (auto-setup used to; compose's
 * schema job does it with the admin tools). Until history and matching have joined the
 * membership ring, calls fail: they are retried.
 */
async function registerDefaultNamespace(address: string, logDir: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 5_000 });
      try {
        await connection.workflowService.registerNamespace({ namespace: "default", workflowExecutionRetentionPeriod: msToTs("1 day") });
      } catch (err) {
        if (!/already exists/i.test(String(err))) throw err;
      }
      // Namespaces reach the history service through a cache: wait until a call goes through.
      await connection.workflowService.listWorkflowExecutions({ namespace: "default", pageSize: 1 });
      await connection.close();
      return;
    } catch (err) {
      lastError = err;
      await sleep(1000);
    }
  }
  const logs = fs.readdirSync(logDir).filter((f) => f.startsWith("temporal-")).map((f) => `${f}:\n${fs.readFileSync(path.join(logDir, f), "utf8").slice(-1500)}`);
  throw new Error(`the Temporal cluster did not come up: ${String(lastError)}\n${logs.join("\n")}`);
}
