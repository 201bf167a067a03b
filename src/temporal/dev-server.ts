// Starts `temporal server start-dev` as a child process: the embedded default's Temporal,
// persisted in a SQLite file, with our search attributes registered from the start.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SEARCH_ATTRIBUTE_NAMES } from "./search-attributes.ts";

export interface DevServerOptions {
  binary: string;
  /** host:port of the frontend. */
  address: string;
  namespace: string;
  /** The Web UI's port; undefined runs the server headless (tests). */
  uiPort: number | undefined;
  /** SQLite file of the server; undefined keeps everything in memory. */
  dbFile: string | undefined;
}

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The dev server is tuned for a laptop demo; these make it serve one worker with low latency
 * without giving up durability (measured with `npm run bench`; see the README's Benchmark section).
 */
const LOW_LATENCY_FLAGS = [
  // Its SQLite file in WAL mode, synced at checkpoints: one write per commit instead of a
  // rollback journal's three, and still crash-safe for the database (a power loss may drop
  // the last commits, a process crash loses nothing).
  ...["--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal"],
  ...dynamicConfig({
    // Tasks are handed from history to matching by a queue processor that polls its SQLite
    // table at most 20 times a second by default: most of a short run's latency.
    "history.transferProcessorMaxPollRPS": 1000,
    // The first activity of a workflow task comes back in the task's completion response
    // instead of through a poll of the activity queue.
    "system.enableActivityEagerExecution": true,
    // One partition per task queue: with one server and few workers, more partitions only
    // make pollers wait on empty ones.
    "matching.numTaskqueueReadPartitions": 1,
    "matching.numTaskqueueWritePartitions": 1,
    // A timer (a step's retry delay, a workflow's short sleep) fires no sooner than this after it
    // was set, as the timer queue reads that far ahead of its clock: 1 s by default, with which a
    // step's 0.5 s first retry after a worker crash waited 0.5 to 1 s longer.
    "history.timerProcessorMaxTimeShift": "100ms",
    // The dev server re-reads its search-attribute registry from the database at every lookup,
    // so attributes added at run time show at once; ours are all registered at start.
    "system.forceSearchAttributesCacheRefreshOnRead": false,
  }),
];

/**
 * Bounds on the dev server's memory. It caches the mutable state of up to 8096 workflows, open or
 * closed, for an hour: under steady load it grew by about 25 KB per run, without end in sight
 * (`npm run bench -- --soak`). The workflows in flight are all that needs caching; a miss reads
 * the database.
 */
const MEMORY_FLAGS = dynamicConfig({ "history.hostLevelCacheMaxSize": 512 });

/**
 * Go's collector lets the heap grow to twice what is live (GOGC=100); at 50 the server holds
 * about 30 MB less under load for 2–3% of its CPU. A GOGC set by the user wins.
 */
const GO_GC_PERCENT = "50";

function dynamicConfig(values: Record<string, number | boolean | string>): string[] {
  return Object.entries(values).flatMap(([key, value]) => ["--dynamic-config-value", `${key}=${JSON.stringify(value)}`]);
}

/** How long the dev server gets to stop on SIGTERM before SIGKILL (it takes about a second). */
export const DEV_SERVER_STOP_GRACE_MS = 10_000;

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const [host, portText] = splitAddress(options.address);
  const args = ["server", "start-dev", "--ip", host, "--port", portText, "--namespace", options.namespace, "--log-level", "error"];
  if (options.uiPort === undefined) args.push("--headless");
  else args.push("--ui-port", String(options.uiPort));
  if (options.dbFile) args.push("--db-filename", options.dbFile);
  for (const name of SEARCH_ATTRIBUTE_NAMES) args.push("--search-attribute", `${name}=Keyword`);
  args.push(...LOW_LATENCY_FLAGS, ...MEMORY_FLAGS);

  const env = { GOGC: GO_GC_PERCENT, ...process.env };
  const child = spawn(options.binary, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`temporal server exited (code ${code}): ${stderr.trim()}`))),
  );
  exited.catch(() => undefined);
  await Promise.race([waitForPort(host, Number(portText), 60_000), exited]);
  return {
    address: options.address,
    uiUrl: options.uiPort === undefined ? undefined : `http://${host}:${options.uiPort}`,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      const done = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([done, sleep(DEV_SERVER_STOP_GRACE_MS).then(() => child.kill("SIGKILL"))]);
    },
  };
}

/** The SQLite file where `dev`'s Temporal server keeps its history, in the data folder. */
export function devHistoryFile(dataDir: string): string {
  return path.join(dataDir, "temporal.sqlite");
}

export function splitAddress(address: string): [string, string] {
  const colon = address.lastIndexOf(":");
  if (colon < 0) throw new Error(`Temporal address "${address}" must be host:port`);
  return [address.slice(0, colon), address.slice(colon + 1)];
}

async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`Temporal server did not listen on ${host}:${port} within ${timeoutMs / 1000} s`);
}

/** A free TCP port on loopback, for servers started by tests and `dev`. */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}
