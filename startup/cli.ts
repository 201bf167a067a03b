// `langgraph-temporal <command>`: dev (Temporal dev server + worker + API), serve (API only),
// worker (worker only), temporal (the provisioned Temporal CLI), doctor (what dev would find).
import { buildApp } from "../server/app.ts";
import { CliArgsError, parseServerArgs } from "./cli-args.ts";
import { listen } from "../server/server.ts";
import { runDoctor } from "./doctor.ts";
import { assertPortsFree } from "./ports.ts";
import { openApiServices, openCore, startWorker, type Core, type RunningWorker } from "./runtime.ts";
import { readSettings, type Settings } from "../src/settings.ts";
import { provisionTemporalCli, runTemporalCli } from "../src/temporal/cli-binary.ts";
import { devHistoryFile, startDevServer } from "../src/temporal/dev-server.ts";
import { forgetDevServer, noteDevServer, stopLeftoverDevServer } from "../src/temporal/leftover-dev-server.ts";

const USAGE = `usage: langgraph-temporal <dev|serve|worker|temporal|doctor> [options]

  dev       Temporal dev server, a worker and the API in one process
  serve     the API only (connects to TEMPORAL_ADDRESS)
  worker    a worker only (connects to TEMPORAL_ADDRESS)
  temporal  run the provisioned Temporal CLI with the remaining arguments
  doctor    what dev would find here (Node, Temporal CLI, Python, database, ports) and install

options: -c/--config <langgraph.json or its folder> (default ./langgraph.json), --data-dir <dir> (all);
         -h/--host <host>, -p/--port <port> (dev, serve); langgraphjs dev's --no-browser,
         --no-reload and -n are accepted and have no effect`;

/** How long requests in flight at shutdown may go on before their connections are closed. */
const API_CLOSE_GRACE_MS = 5_000;

const say = (line: string) => console.log(`[langgraph-temporal] ${line}`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "temporal") {
    const settings = readSettings(process.env);
    const binary = await provisionTemporalCli(settings.temporal);
    return runTemporalCli(binary, rest);
  }
  if (command !== "dev" && command !== "serve" && command !== "worker" && command !== "doctor") {
    console.error(USAGE);
    return command === undefined || command === "--help" ? 0 : 2;
  }
  const args = parseServerArgs(command, rest);
  for (const note of args.notes) say(note);
  const settings = readSettings(process.env, args.overrides);
  if (command === "doctor") return runDoctor(settings);
  if (command === "dev") {
    // An earlier `dev` on this folder killed outright left its Temporal server running.
    const stopped = await stopLeftoverDevServer(settings.dataDir, devHistoryFile(settings.dataDir));
    if (stopped) say(`stopped the Temporal dev server (pid ${stopped}) that an earlier dev left running on this data folder`);
  }
  await assertPortsFree(settings, command);
  const stops: Array<() => Promise<void>> = [];
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    for (const stop of stops.reverse()) await stop().catch((err: Error) => console.error(err.message));
  };
  process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));
  process.once("SIGTERM", () => void stopAll().then(() => process.exit(143)));

  try {
    if (command === "dev") stops.push(await startTemporalDevServer(settings));
    say(`loading graphs from ${settings.configPath}; data folder ${settings.dataDir}`);
    const core = await openCore(settings);
    stops.push(() => core.close());
    if (core.project.ignoredKeys.length > 0) say(`langgraph.json keys not used by this server: ${core.project.ignoredKeys.join(", ")}`);
    say(`graphs: ${core.graphs.graphIds().join(", ")}`);
    for (const local of [true, false]) {
      const graphIds = Object.entries(core.project.stepLimits).filter(([, limits]) => limits.local === local).map(([graphId]) => graphId);
      if (graphIds.length > 0) say(`steps as ${local ? "local activities" : "activity tasks"} whatever the run's durability (local_steps: ${local}): ${graphIds.join(", ")}`);
    }

    const worker = command === "serve" ? undefined : await startWorkerProcess(settings, core);
    if (worker) {
      stops.push(worker.stop);
      // A worker can stop on its own (the SDK's SIGUSR2, a fatal error). The process then runs
      // nothing, and in `dev` the API, which shares the worker's connection, would fail every
      // request: stop the rest and exit, so that a supervisor starts it again.
      void worker.running.done
        .then(() => 0, (err: Error) => (console.error(`worker stopped: ${err.message}`), 1))
        .then(async (code) => {
          if (stopping) return;
          say("the worker stopped; stopping the process");
          await stopAll();
          process.exit(code);
        });
    }
    if (command !== "worker") stops.push(await startApi(settings, core, worker?.running));
  } catch (err) {
    // Whatever started (e.g. the Temporal dev server) must not outlive a failed start.
    await stopAll();
    throw err;
  }
  return new Promise<number>(() => undefined); // runs until a signal arrives
}

async function startTemporalDevServer(settings: Settings): Promise<() => Promise<void>> {
  const binary = await provisionTemporalCli(settings.temporal, say);
  const dbFile = devHistoryFile(settings.dataDir);
  say(`starting the Temporal dev server on ${settings.temporal.address} (${binary}; history in ${dbFile})`);
  const { mkdirSync } = await import("node:fs");
  mkdirSync(settings.dataDir, { recursive: true });
  const server = await startDevServer({
    binary,
    address: settings.temporal.address,
    namespace: settings.temporal.namespace,
    uiPort: settings.temporal.uiPort,
    dbFile,
  });
  noteDevServer(settings.dataDir, server.process.pid!);
  say(`Temporal Web UI: ${server.uiUrl}`);
  return async () => {
    await server.stop();
    forgetDevServer(settings.dataDir);
  };
}

async function startWorkerProcess(settings: Settings, core: Core): Promise<{ running: RunningWorker; stop: () => Promise<void> }> {
  const running = await startWorker(settings, core);
  say(`worker polling task queue "${settings.temporal.taskQueue}" on ${settings.temporal.address}`);
  return { running, stop: () => running.shutdown() };
}

async function startApi(settings: Settings, core: Core, localWorker: RunningWorker | undefined): Promise<() => Promise<void>> {
  const api = await openApiServices(settings, core, localWorker);
  const { resubmitted, failed } = api.recovered;
  if (resubmitted.length + failed.length > 0) {
    say(`recovered runs left without a workflow: ${resubmitted.length} resubmitted, ${failed.length} marked error (${[...resubmitted, ...failed].join(", ")})`);
  }
  const app = await buildApp({
    services: api.services,
    logger: { level: settings.logLevel },
    http: core.project.http,
    corsAllowOrigins: settings.corsAllowOrigins,
  });
  const url = await listen(app, settings.host, settings.port);
  say(`API: ${url}  (try ${url}/info)`);
  return async () => {
    // A join or wait lasts as long as its run, and a client may hold a socket without finishing a
    // request: past a short grace, such connections are closed (the runs go on; clients join again).
    const cutOff = setTimeout(() => app.server.closeAllConnections(), API_CLOSE_GRACE_MS);
    try {
      await app.close();
    } finally {
      clearTimeout(cutOff);
    }
    await api.close();
  };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`[langgraph-temporal] ${err.message}`);
    process.exit(err instanceof CliArgsError ? 2 : 1);
  },
);
