// The floors: systems that run the load inside a child process of their own (over IPC), so
// that their CPU and memory are measured like the servers'.
// - "floor": the same graphs invoked in-process with an in-memory checkpointer (floor-process.ts).
// - "temporal floor": a bare workflow of one activity per step on our Temporal server
//   (temporal-floor-process.ts).
import { fileURLToPath } from "node:url";
import type { Workload } from "../load.ts";
import { spawnNode } from "./child.ts";
import type { FloorOp } from "./load-over-ipc.ts";
import type { System, SystemName } from "./system.ts";

const FLOOR_ENTRY = fileURLToPath(new URL("./floor-process.ts", import.meta.url));
const TEMPORAL_FLOOR_ENTRY = fileURLToPath(new URL("./temporal-floor-process.ts", import.meta.url));

interface Spawn {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function startFloor({ config, ...spawn }: Spawn & { config: string }): Promise<System> {
  return startIpcSystem("floor", [FLOOR_ENTRY, config], /floor ready/, () => [], spawn);
}

/**
 * `temporalServerPid`: our dev process's Temporal server, whose CPU and memory count for the
 * floor while the floor is measured (the systems are measured one after another).
 */
export function startTemporalFloor({ temporalAddress, temporalServerPid, ...spawn }: Spawn & { temporalAddress: string; temporalServerPid: () => number | undefined }): Promise<System> {
  return startIpcSystem("temporal-floor", [TEMPORAL_FLOOR_ENTRY, temporalAddress], /temporal floor ready/, () => {
    const pid = temporalServerPid();
    return pid === undefined ? [] : [pid];
  }, spawn);
}

async function startIpcSystem(name: SystemName, args: string[], ready: RegExp, moreRoots: () => number[], { cwd, env }: Spawn): Promise<System> {
  const child = spawnNode(args, { cwd, env, ipc: true });
  try {
    await child.waitFor(ready);
  } catch (err) {
    await child.stop();
    throw err;
  }
  let nextId = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  child.process.on("message", (reply: { id: number; result?: unknown; error?: string }) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error !== undefined) waiter?.reject(new Error(reply.error));
    else waiter?.resolve(reply.result);
  });
  child.process.once("exit", () => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the ${name} process exited:\n${child.output()}`));
  });
  function call<T>(request: FloorOp): Promise<T> {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.process.send({ ...request, id });
    });
  }
  return {
    name,
    roots: () => [child.pid, ...moreRoots()],
    sequential: (workload: Workload, limits) => call({ op: "sequential", workload, limits }),
    closedLoop: (workload: Workload, { concurrency, seconds }) => call({ op: "closedLoop", workload, options: { concurrency, seconds } }),
    // Threads of the floors cost nothing until a run writes to them.
    seedThreads: async () => 0,
    stop: () => child.stop(),
  };
}
