// Child process entry of the Temporal floor (bench/floor/): its worker and client against the
// Temporal server that our `dev` started, running the same load generators as the other
// systems, on requests over IPC.
import { randomUUID } from "node:crypto";
import { floorWorkflowId, startFloorWorker } from "../floor/worker.ts";
import { runClosedLoop, runSequential, type DriverFactory } from "../load.ts";
import type { FloorOp } from "./floor-process.ts";

const floor = await startFloorWorker(process.argv.at(-1)!);

const drivers: DriverFactory = () => ({
  createThread: async () => randomUUID(),
  async createRun(threadId, graphId) {
    await floor.start(threadId, graphId);
    return threadId;
  },
  join: (threadId) => floor.client.workflow.getHandle(floorWorkflowId(threadId)).result(),
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
process.once("SIGTERM", () => void floor.stop().then(() => process.exit()));
console.log("temporal floor ready");
