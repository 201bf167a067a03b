// The child side of the floors' IPC (floor.ts is the parent side): the bench asks for a load,
// the child runs it with the same generators as the HTTP systems and answers with its result.
import { runClosedLoop, runSequential, type DriverFactory, type Workload } from "../load.ts";

export type FloorOp =
  | { op: "sequential"; workload: Workload; limits: { maxRuns: number; seconds: number } }
  | { op: "closedLoop"; workload: Workload; options: { concurrency: number; seconds: number } };

/** Answers the bench's load requests with `drivers`, each reply naming its request's id. */
export function serveLoadRequests(drivers: DriverFactory): void {
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
}
