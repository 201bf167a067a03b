// A system under test, as the bench drives it: the same load for our server, the peer and
// the floors. HTTP systems run the load here; the floors run it inside their own processes.
import { createThreads, runClosedLoop, runSequential, type DriverFactory, type SequentialResult, type ThroughputResult, type Workload } from "../load.ts";

export type SystemName = "ours" | "peer" | "floor" | "temporal-floor";

/** Systems without an API: threads cost them nothing, and a "create" only starts their run. */
export const isFloor = (name: SystemName): boolean => name === "floor" || name === "temporal-floor";

export interface SequentialLimits {
  maxRuns: number;
  seconds: number;
}

export interface ClosedLoopOptions {
  concurrency: number;
  seconds: number;
  /** Threads to create before the window opens (0 when threads are free, as in the floor). */
  threadsAhead: number;
}

export interface System {
  name: SystemName;
  /** Roots of the server-side process trees whose CPU and memory are measured. */
  roots(): number[];
  sequential(workload: Workload, limits: SequentialLimits): Promise<SequentialResult>;
  closedLoop(workload: Workload, options: ClosedLoopOptions): Promise<ThroughputResult>;
  /** Stores `count` more threads (through the API); resolves with how many it created. */
  seedThreads(count: number): Promise<number>;
  stop(): Promise<void>;
}

export function httpSystem(name: SystemName, drivers: DriverFactory, roots: () => number[], stop: () => Promise<void>): System {
  return {
    name,
    roots,
    sequential: (workload, limits) => runSequential(drivers, workload, limits),
    async closedLoop(workload, options) {
      const threads = await createThreads(drivers, options.threadsAhead);
      return runClosedLoop(drivers, workload, { ...options, threads });
    },
    async seedThreads(count) {
      return (await createThreads(drivers, count, 32)).length;
    },
    stop,
  };
}
