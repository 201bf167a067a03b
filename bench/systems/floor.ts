// The floor: the same graphs invoked in-process with an in-memory checkpointer, in a child
// process so that its CPU and memory are measured like the servers'.
import { fileURLToPath } from "node:url";
import type { Workload } from "../load.ts";
import { spawnNode } from "./child.ts";
import type { FloorOp } from "./floor-process.ts";
import type { System } from "./system.ts";

const ENTRY = fileURLToPath(new URL("./floor-process.ts", import.meta.url));

export async function startFloor({ config, cwd, env }: { config: string; cwd: string; env: NodeJS.ProcessEnv }): Promise<System> {
  const child = spawnNode([ENTRY, config], { cwd, env, ipc: true });
  try {
    await child.waitFor(/floor ready/);
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
    for (const waiter of pending.values()) waiter.reject(new Error(`the floor process exited:\n${child.output()}`));
  });
  function call<T>(request: FloorOp): Promise<T> {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.process.send({ ...request, id });
    });
  }
  return {
    name: "floor",
    roots: () => [child.pid],
    sequential: (workload: Workload, limits) => call({ op: "sequential", workload, limits }),
    closedLoop: (workload: Workload, { concurrency, seconds }) => call({ op: "closedLoop", workload, options: { concurrency, seconds } }),
    // Threads of an in-memory checkpointer cost nothing until a run writes to them.
    seedThreads: async () => 0,
    stop: () => child.stop(),
  };
}
