// Child process entry of the Temporal floor: a worker for floor/workflow.ts and a client on the
// worker's own connection (so starts are eager, as in `dev`), against the Temporal server that
// our `dev` started. It runs the same load generators as the other systems, on requests over IPC.
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Client } from "@temporalio/client";
import { NativeConnection, Worker } from "@temporalio/worker";
import { runClosedLoop, runSequential, type DriverFactory } from "../load.ts";
import type { FloorOp } from "./floor-process.ts";

/** A workload's graph, as the floor runs it: its number of super-steps, one activity each. */
const STEPS_OF_GRAPH: Record<string, number> = { one_node: 1, steps1: 1, steps5: 5, steps20: 20, agent: 3 };

const address = process.argv.at(-1)!;
const connection = await NativeConnection.connect({ address });
const taskQueue = `bench-floor-${randomUUID()}`;
const worker = await Worker.create({
  connection,
  taskQueue,
  workflowsPath: fileURLToPath(new URL("../floor/workflow.ts", import.meta.url)),
  activities: { step: async (index: number) => index },
});
const client = new Client({ connection });
const running = worker.run();
running.catch((err: Error) => {
  console.error(`floor worker failed: ${err.stack ?? err.message}`);
  process.exit(1);
});

const drivers: DriverFactory = () => ({
  createThread: async () => randomUUID(),
  async createRun(threadId, graphId) {
    const steps = STEPS_OF_GRAPH[graphId];
    if (steps === undefined) throw new Error(`the Temporal floor has no step count for graph ${graphId}`);
    await client.workflow.start("floorWorkflow", { args: [steps], taskQueue, workflowId: `floor-${threadId}`, requestEagerStart: true });
    return threadId;
  },
  join: (threadId) => client.workflow.getHandle(`floor-${threadId}`).result(),
});

process.on("message", (request: FloorOp & { id: number }) => {
  const work =
    request.op === "sequential"
      ? runSequential(drivers, request.workload, request.limits)
      : runClosedLoop(drivers, request.workload, { ...request.options, threads: [] });
  work.then(
    (result) => process.send!({ id: request.id, result }),
    (err: Error) => process.send!({ id: request.id, error: err.message }),
  );
});
process.once("SIGTERM", () => worker.shutdown());
console.log("temporal floor ready");
