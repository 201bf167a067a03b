// Child process entry of the Temporal floor (bench/floor/): its worker and client against the
// Temporal server that our `dev` started, running the same load generators as the other
// systems, on requests over IPC.
import { randomUUID } from "node:crypto";
import { floorWorkflowId, startFloorWorker } from "../floor/worker.ts";
import type { DriverFactory } from "../load.ts";
import { serveLoadRequests } from "./load-over-ipc.ts";

const floor = await startFloorWorker(process.argv.at(-1)!);

const drivers: DriverFactory = () => ({
  createThread: async () => randomUUID(),
  async createRun(threadId, graphId) {
    await floor.start(threadId, graphId);
    return threadId;
  },
  join: (threadId) => floor.client.workflow.getHandle(floorWorkflowId(threadId)).result(),
});

serveLoadRequests(drivers);
process.once("SIGTERM", () => void floor.stop().then(() => process.exit()));
console.log("temporal floor ready");
