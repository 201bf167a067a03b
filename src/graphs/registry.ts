// Loads the graphs named in langgraph.json and hands out compiled graphs wired to our
// checkpointer and store (spec §2.2: compiled graphs, StateGraphs, promises, factories, createAgent).
import { pathToFileURL } from "node:url";
import type { BaseCheckpointSaver, BaseStore } from "@langchain/langgraph-checkpoint";
import type { Pregel } from "@langchain/langgraph";
import type { GraphSpec } from "./langgraph-json.ts";
import { isSupportedLangGraph, langGraphVersionFor, SUPPORTED_LANGGRAPH } from "./langgraph-range.ts";

// The Pregel type parameters do not matter here: the server treats state as JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CompiledGraph = Pregel<any, any, any, any, any>;

export interface GraphConfig {
  configurable?: Record<string, unknown>;
}

type GraphSource = { kind: "static"; graph: CompiledGraph } | { kind: "factory"; make: (config: GraphConfig) => unknown };

export class GraphLoadError extends Error {
  override name = "GraphLoadError";
}

export class GraphRegistry {
  private constructor(
    private readonly specs: Map<string, GraphSpec>,
    private readonly sources: Map<string, GraphSource>,
    private readonly checkpointer: BaseCheckpointSaver,
    private readonly store: BaseStore,
  ) {}

  /** Imports every graph module; a graph that fails to load aborts start-up with its id. */
  static async load(specs: GraphSpec[], checkpointer: BaseCheckpointSaver, store: BaseStore): Promise<GraphRegistry> {
    const sources = new Map<string, GraphSource>();
    for (const spec of specs) {
      try {
        sources.set(spec.graphId, await loadSource(spec));
      } catch (err) {
        throw new GraphLoadError(`graph "${spec.graphId}" failed to load from ${spec.file}: ${(err as Error).message}`);
      }
    }
    return new GraphRegistry(new Map(specs.map((s) => [s.graphId, s])), sources, checkpointer, store);
  }

  graphIds(): string[] {
    return [...this.specs.keys()];
  }

  spec(graphId: string): GraphSpec | undefined {
    return this.specs.get(graphId);
  }

  has(graphId: string): boolean {
    return this.specs.has(graphId);
  }

  /** The compiled graph, with our checkpointer and store; factories are called for every use (spec §2.2). */
  async get(graphId: string, config: GraphConfig = {}): Promise<CompiledGraph> {
    const source = this.sources.get(graphId);
    if (!source) throw new GraphLoadError(`unknown graph "${graphId}"`);
    const graph = source.kind === "static" ? source.graph : await toCompiled(await source.make(config));
    // The server owns persistence: a checkpointer compiled into the user graph is replaced.
    graph.checkpointer = this.checkpointer;
    // One store for every thread and run (spec §2.2): nodes reach it as config.store, getStore(), runtime.store.
    graph.store = this.store;
    return graph;
  }
}

async function loadSource(spec: GraphSpec): Promise<GraphSource> {
  const langgraph = langGraphVersionFor(spec.file);
  if (langgraph !== undefined && !isSupportedLangGraph(langgraph)) {
    throw new GraphLoadError(`it imports @langchain/langgraph ${langgraph}; langgraph-temporal supports ${SUPPORTED_LANGGRAPH}`);
  }
  const module = (await import(pathToFileURL(spec.file).href)) as Record<string, unknown>;
  if (!(spec.exportName in module)) {
    throw new GraphLoadError(`no export named "${spec.exportName}"`);
  }
  const exported = await module[spec.exportName];
  if (typeof exported === "function") {
    return { kind: "factory", make: exported as (config: GraphConfig) => unknown };
  }
  return { kind: "static", graph: await toCompiled(exported) };
}

async function toCompiled(value: unknown): Promise<CompiledGraph> {
  const graph = (await value) as Record<string, unknown> | null;
  if (graph && typeof graph === "object") {
    // createAgent (LangChain 1.x) wraps its compiled graph under `.graph`.
    const inner = graph.graph as Record<string, unknown> | undefined;
    if (inner && typeof inner === "object" && typeof inner.stream === "function" && "builder" in inner) {
      return inner as unknown as CompiledGraph;
    }
    if ("builder" in graph && typeof graph.stream === "function") return graph as unknown as CompiledGraph;
    if (typeof graph.compile === "function") return (graph.compile as () => CompiledGraph)();
  }
  throw new GraphLoadError("export is not a graph (expected a compiled graph, a StateGraph, or a factory)");
}
