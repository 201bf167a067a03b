// Wires the parts of a server process together from its settings: storage, graphs, Temporal,
// services. The CLI and the tests build processes the same way.
import { DefaultLogger, Runtime, type NativeConnection, type Worker } from "@temporalio/worker";
import { Client } from "@temporalio/client";
import { AssistantsService } from "../src/assistants/assistants-service.ts";
import { readLangGraphJson, type LangGraphProject } from "../src/graphs/langgraph-json.ts";
import { GraphRegistry } from "../src/graphs/registry.ts";
import { recoverOrphanedRuns, type RecoveryReport } from "../src/runs/orphan-recovery.ts";
import { RunsService } from "../src/runs/runs-service.ts";
import { RunStreams } from "../src/streaming/run-streams.ts";
import type { Settings } from "../src/settings.ts";
import { openStorage } from "../src/storage/open-storage.ts";
import type { Storage } from "../src/storage/types.ts";
import type { RunCheckpointer } from "../src/storage/stamping-checkpointer.ts";
import { connectClient, connectWorkerConnection } from "../src/temporal/connect.ts";
import { RunEngine } from "../src/temporal/run-engine.ts";
import { createRunWorker } from "./worker.ts";
import { ThreadsService } from "../src/threads/threads-service.ts";
import type { Services } from "../server/services.ts";

export interface Core {
  project: LangGraphProject;
  storage: Storage;
  checkpointer: RunCheckpointer;
  graphs: GraphRegistry;
  close(): Promise<void>;
}

/** Storage and graphs: what both the API and the worker need. */
export async function openCore(settings: Settings): Promise<Core> {
  const project = readLangGraphJson(settings.configPath);
  const { storage, checkpointer } = await openStorage(settings);
  const graphs = await GraphRegistry.load(project.graphs, checkpointer);
  return { project, storage, checkpointer, graphs, close: () => storage.close() };
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
  const engine = new RunEngine(client, {
    taskQueue: settings.temporal.taskQueue,
    limits: { ...settings.steps, maxRunSeconds: settings.maxRunSeconds },
    graphLimits: core.project.stepLimits,
    eagerStart: localWorker !== undefined,
  });
  const assistants = new AssistantsService(core.storage, core.graphs);
  await assistants.registerSystemAssistants(settings.systemAssistantConfig);
  const runs = new RunsService(core.storage, assistants, engine);
  const services: Services = {
    assistants,
    threads: new ThreadsService(core.storage, core.graphs, engine, (threadId) => runs.cancelInflight(threadId)),
    runs,
    streams: new RunStreams(core.storage),
    async checkDependencies() {
      await core.storage.ping().catch((err: Error) => Promise.reject(new Error(`database: ${err.message}`)));
      await client.workflowService.getSystemInfo({}).catch((err: Error) => Promise.reject(new Error(`Temporal: ${err.message}`)));
    },
  };
  // Replicas starting together take turns; the later ones find the runs already resubmitted.
  const recovered = await core.storage.oneAtATime("orphan-recovery", () => recoverOrphanedRuns(core.storage, core.graphs, engine));
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
  const worker = await createRunWorker(connection, settings.temporal, core);
  const done = worker.run().finally(() => connection.close());
  return {
    worker,
    connection,
    done,
    async shutdown() {
      if (worker.getState() === "RUNNING") worker.shutdown();
      await done;
    },
  };
}
