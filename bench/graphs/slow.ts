// Three slow nodes a → b → c for the crash-recovery measurement. Each node start is logged
// with the worker's pid and the time, so the bench can kill the worker running it and see
// when another worker picks the step up.
import fs from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { Annotation, StateGraph, type LangGraphRunnableConfig } from "@langchain/langgraph";

const State = Annotation.Root({
  visited: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
});

function slowNode(name: string) {
  return async (_state: typeof State.State, config: LangGraphRunnableConfig) => {
    const log = process.env.BENCH_NODE_LOG;
    if (log) fs.appendFileSync(log, `${process.pid} ${config.configurable?.thread_id} start ${name} ${Date.now()}\n`);
    await sleep(Number(process.env.BENCH_SLOW_NODE_MS ?? 2000), undefined, { signal: config.signal });
    return { visited: [name] };
  };
}

export const graph = new StateGraph(State)
  .addNode("a", slowNode("a"))
  .addNode("b", slowNode("b"))
  .addNode("c", slowNode("c"))
  .addEdge("__start__", "a")
  .addEdge("a", "b")
  .addEdge("b", "c")
  .compile();
