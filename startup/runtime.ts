// Wires the parts of a server process together from its settings: storage, graphs, Temporal,
// services. The CLI and the tests build processes the same way.
import { DefaultLogger, GracefulShutdownPeriodExpiredError, Runtime, type NativeConnection, type Worker } from "@temporalio/worker";
import { Client } from "@temporalio/client";
import { AssistantsService } from "../src/assistants/assistants-service.ts";
import { CustomAuth } from "../src/auth/custom-auth.ts";
import { type CronCleanup, CronsService } from "../src/crons/crons-service.ts";
import { readLangGraphJson, type LangGraphProject } from "../src/graphs/langgraph-json.ts";
import { GraphRegistry } from "../src/graphs/registry.ts";
import { registerSdkLogger } from "../src/graphs/sdk-logger.ts";
import { recoverOrphanedRuns, type RecoveryReport } from "../src/runs/orphan-recovery.ts";
import { RunRecorder } from "../src/runs/run-recorder.ts";
import { RunsService } from "../src/runs/runs-service.ts";
import { RunStreams } from "../src/streaming/run-streams.ts";
import type { Settings } from "../src/settings.ts";
import { openStorage } from "../src/storage/open-storage.ts";
import { storeOptions } from "../src/store/store-config.ts";
import { storeTtlSweeper } from "../src/store/store-sweeper.ts";
import type { Storage } from "../src/storage/types.ts";
import type { RunCheckpointer } from "../src/storage/stamping-checkpointer.ts";
import { connectClient, connectWorkerConnection } from "../src/temporal/connect.ts";
import { CronSchedules } from "../src/temporal/cron-schedules.ts";
import { RunEngine } from "../src/temporal/run-engine.ts";
import { ensureTtlSweepSchedule, sweepIntervalSeconds } from "../src/temporal/ttl-sweep-schedule.ts";
import { createRunWorker, SHUTDOWN_FORCE_SECONDS } from "./worker.ts";
import { ThreadsService } from "../src/threads/threads-service.ts";
import { StoreService } from "../src/store/store-service.ts";
import { threadTtlSweeper } from "../src/ttl/thread-ttl-sweeper.ts";
import type { Services } from "../server/services.ts";
import { CancelRequests } from "../src/runs/cancel-requests.ts";

export interface Core {
  project: LangGraphProject;
  storage: Storage;
  checkpointer: RunCheckpointer;
  graphs: GraphRegistry;
  /** Cancels the API signals, told to the worker's local steps when both run in this process. */
  cancelRequests: CancelRequests;
  close(): Promise<void>;
}

/** Storage and graphs: what both the API and the worker need. */
export async function openCore(settings: Settings): Promise<Core> {
  const project = readLangGraphJson(settings.configPath);
  // Graph modules may read their `env` and call the Platform's logger while they load.
  applyProjectEnv(project.env);
  registerSdkLogger();
  const { storage, checkpointer } = await openStorage(settings, await storeOptions(project.store, project.root));
  const graphs = await GraphRegistry.load(project.graphs, checkpointer, storage.store);
  return { project, storage, checkpointer, graphs, cancelRequests: new CancelRequests(), close: () => storage.close() };
}

/** The services of src/ over one Temporal client: the API serves them, the worker's crons and sweeps use them. */
export interface CoreServices {
  engine: RunEngine;
  assistants: AssistantsService;
  runs: RunsService;
  threads: ThreadsService;
  crons: CronsService;
}

function buildCoreServices(settings: Settings, core: Core, client: Client, eagerStart: boolean): CoreServices {
  const engine = new RunEngine(client, {
    taskQueue: settings.temporal.taskQueue,
    limits: { ...settings.steps, maxRunSeconds: settings.maxRunSeconds },
    graphLimits: core.project.stepLimits,
    eagerStart,
    cancelRequests: core.cancelRequests,
  });
  // Deleting an assistant or a thread deletes its crons; the crons service resolves assistants.
  const cronCleanup: CronCleanup = {
    deleteForThread: (threadId: string) => crons.deleteForThread(threadId),
    deleteForAssistant: (assistantId: string) => crons.deleteForAssistant(assistantId),
  };
  const assistants = new AssistantsService(core.storage, core.graphs, cronCleanup);
  const runs = new RunsService(core.storage, assistants, engine, { webhooks: settings.webhooks, headers: core.project.http.configurableHeaders });
  const crons = new CronsService(core.storage, assistants, new CronSchedules(client, settings.temporal.taskQueue));
  const threads = new ThreadsService(core.storage, core.graphs, engine, (threadId) => runs.cancelInflight(threadId), cronCleanup);
  return { engine, assistants, runs, threads, crons };
}

/**
 * langgraph.json `env` reaches the graphs' code before their modules load (they often read it at
 * import time); as `langgraphjs dev` does (dotenv's populate), variables already set win.
 */
function applyProjectEnv(env: Record<string, string>): void {
  for (const [name, value] of Object.entries(env)) process.env[name] ??= value;
}

export interface ApiServices {
  services: Services;
  client: Client;
  /** Runs found without a workflow at start-up, and what was done with them. */
  recovered: RecoveryReport;
  close(): Promise<void>;
}

/**
 * `localWorker`: a worker running in this process (`dev`). The API then talks to Temporal over
 * the worker's connection, which lets Temporal hand a new run's first workflow task straight to
 * that worker (eager start) instead of queueing it.
 */
export async function openApiServices(settings: Settings, core: Core, localWorker?: RunningWorker): Promise<ApiServices> {
  const client = localWorker
    ? new Client({ connection: localWorker.connection, namespace: settings.temporal.namespace })
    : await connectClient(settings.temporal);
  const { engine, assistants, runs, threads, crons } = buildCoreServices(settings, core, client, localWorker !== undefined);
  // LANGGRAPH_CONFIG in langgraph.json's `env` overrides the process's, as `env` itself does.
  await assistants.registerSystemAssistants({ ...settings.systemAssistantConfig, ...core.project.graphConfigs });
  const services: Services = {
    assistants,
    threads,
    runs,
    crons,
    streams: new RunStreams(core.storage),
    auth: core.project.auth && (await CustomAuth.load(core.project.auth)),
    store: new StoreService(core.storage.store),
    async checkDependencies() {
      await core.storage.ping().catch((err: Error) => Promise.reject(new Error(`database: ${err.message}`)));
      await client.workflowService.getSystemInfo({}).catch((err: Error) => Promise.reject(new Error(`Temporal: ${err.message}`)));
    },
  };
  // Replicas starting together take turns; the later ones find the runs already resubmitted.
  const recovered = await core.storage.oneAtATime("orphan-recovery", () => recoverOrphanedRuns(core.storage, new RunRecorder(core), engine));
  return {
    services,
    client,
    recovered,
    async close() {
      // A lent connection is closed by the worker that owns it.
      if (!localWorker) await client.connection.close();
    },
  };
}

export interface RunningWorker {
  worker: Worker;
  connection: NativeConnection;
  /** Settles when the worker has stopped. */
  done: Promise<void>;
  /** Lets steps in flight finish (within the grace time), then stops. */
  shutdown(): Promise<void>;
}

let runtimeInstalled = false;

/** The Temporal SDK logs every worker state change at INFO; warnings are what operators need. */
function installTemporalRuntime(metricsAddress: string | undefined): void {
  if (runtimeInstalled) return;
  const metrics = metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : {};
  Runtime.install({ logger: new DefaultLogger("WARN"), telemetryOptions: metrics });
  runtimeInstalled = true;
}

export async function startWorker(settings: Settings, core: Core): Promise<RunningWorker> {
  installTemporalRuntime(settings.temporal.workerMetricsAddress);
  const connection: NativeConnection = await connectWorkerConnection(settings.temporal);
  // Crons submit runs and sweeps delete threads through the same services as the API, over a
  // client on the worker's own connection (eager start: the new run's first task comes here).
  const client = new Client({ connection, namespace: settings.temporal.namespace });
  const { engine, runs, threads, crons } = buildCoreServices(settings, core, client, true);
  const sweepers = [threadTtlSweeper(core.storage, threads, core.project.threadTtl), storeTtlSweeper(core.storage.store)];
  const worker = await createRunWorker(connection, settings.temporal, { ...core, runs, crons, sweepers, webhooks: settings.webhooks, limitsFor: (graphId) => engine.limitsFor(graphId) });
  const intervals = [core.project.threadTtl.sweepIntervalMinutes, core.project.store.ttl?.sweepIntervalMinutes ?? Infinity];
  await ensureTtlSweepSchedule(client, settings.temporal.taskQueue, sweepIntervalSeconds(settings.ttlSweepIntervalSeconds, ...intervals));
  const done = worker.run().finally(() => connection.close());
  return {
    worker,
    connection,
    done,
    async shutdown() {
      if (worker.getState() === "RUNNING") worker.shutdown();
      await done.catch((err: unknown) => {
        if (!(err instanceof GracefulShutdownPeriodExpiredError)) throw err;
        console.warn(`worker: local steps still running ${SHUTDOWN_FORCE_SECONDS} s after the shutdown began were left to another worker`);
      });
    },
  };
}
