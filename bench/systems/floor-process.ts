// Child process entry of the floor: the bench's graphs invoked in-process with an in-memory
// checkpointer (no server, no durability). It runs the same load generators as the HTTP
// systems, on requests from the bench over IPC.
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { MemorySaver } from "@langchain/langgraph";
import type { DriverFactory } from "../load.ts";
import { readBenchGraphs } from "./graph-specs.ts";
import { serveLoadRequests } from "./load-over-ipc.ts";

interface Invocable {
  invoke(input: unknown, config: { configurable: { thread_id: string } }): Promise<unknown>;
  checkpointer?: unknown;
}

async function loadGraphs(config: string): Promise<Map<string, Invocable>> {
  const graphs = new Map<string, Invocable>();
  for (const [id, { file, exportName }] of Object.entries(readBenchGraphs(config))) {
    const module = (await import(pathToFileURL(file).href)) as Record<string, Invocable>;
    const graph = module[exportName]!;
    graph.checkpointer = new MemorySaver();
    graphs.set(id, graph);
  }
  return graphs;
}

const graphs = await loadGraphs(process.argv.at(-1)!);

const drivers: DriverFactory = () => {
  const inflight = new Map<string, Promise<unknown>>();
  return {
    createThread: async () => randomUUID(),
    async createRun(threadId, graphId, input, durability) {
      const runId = randomUUID();
      const done = graphs.get(graphId)!.invoke(input, { configurable: { thread_id: threadId }, ...(durability ? { durability } : {}) });
      done.catch(() => undefined); // reported by join
      inflight.set(runId, done);
      return runId;
    },
    async join(_threadId, runId) {
      const done = inflight.get(runId)!;
      inflight.delete(runId);
      return done;
    },
  };
};

serveLoadRequests(drivers);
console.log("floor ready");
