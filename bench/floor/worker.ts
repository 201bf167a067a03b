// The Temporal floor's worker and client: a worker for floor/workflow.ts on a task queue of its
// own, and a client on the worker's connection, so that starts are eager as in our `dev`.
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Client } from "@temporalio/client";
import { NativeConnection, Worker } from "@temporalio/worker";

/** A workload's graph, as the floor runs it: its number of super-steps, one activity each. */
const STEPS_OF_GRAPH: Record<string, number> = { one_node: 1, steps1: 1, steps5: 5, steps20: 20, agent: 3 };

export const floorWorkflowId = (threadId: string) => `floor-${threadId}`;

export interface FloorWorker {
  client: Client;
  /** Starts the floor's run for a workload's graph on a new workflow. */
  start(threadId: string, graphId: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startFloorWorker(address: string): Promise<FloorWorker> {
  const connection = await NativeConnection.connect({ address });
  const taskQueue = `bench-floor-${randomUUID()}`;
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL("./workflow.ts", import.meta.url)),
    activities: { step: async (index: number) => index },
  });
  const client = new Client({ connection });
  const running = worker.run();
  return {
    client,
    async start(threadId, graphId) {
      const steps = STEPS_OF_GRAPH[graphId];
      if (steps === undefined) throw new Error(`the Temporal floor has no step count for graph ${graphId}`);
      await client.workflow.start("floorWorkflow", { args: [steps], taskQueue, workflowId: floorWorkflowId(threadId), requestEagerStart: true });
    },
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
