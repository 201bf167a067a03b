// What `/assistants/{id}/graph`, `/schemas` and `/subgraphs` read from a compiled graph
// (spec §3.3). Everything comes from the graph object at run time; there is no TypeScript
// type extraction (the JS server's static parser), so a schema the runtime does not know is
// as precise as the runtime can make it, or null.
import {
  getConfigTypeSchema,
  getInputTypeSchema,
  getOutputTypeSchema,
  getUpdateTypeSchema,
} from "@langchain/langgraph/zod/schema";
import type { JsonObject } from "../api-types.ts";
import type { CompiledGraph } from "../graphs/registry.ts";

/** A graph's schemas as the API reports them; `graph_id` is added by the caller where it belongs. */
export interface GraphSchemas {
  input_schema: JsonObject | null;
  output_schema: JsonObject | null;
  state_schema: JsonObject | null;
  config_schema: JsonObject | null;
  context_schema: JsonObject | null;
}

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

/** The StateGraph builder fields the schemas come from (internal to @langchain/langgraph 1.7). */
interface BuilderLike {
  _schemaDefinition?: unknown;
  _inputDefinition?: unknown;
  _outputDefinition?: unknown;
}

/**
 * State, input, output and context schemas of a graph.
 *
 * 1. Graphs declared with zod or `StateSchema` carry real schemas: LangGraph's own
 *    `getInputTypeSchema` & co. turn them into JSON Schema (draft-07), with descriptions. The
 *    state schema is that of an update (no key required), as the JS server reports it.
 * 2. Graphs declared with `Annotation.Root` carry only channel names at run time (their types
 *    are erased), so their state, input and output schemas list the channels as properties
 *    of any type: enough for a form to know which keys exist, and never wrong.
 * 3. The context (config) schema exists only when it was given as zod; else null. From a JS
 *    graph the config and context schemas are one and the same, as in the JS server.
 */
export function graphSchemas(graph: CompiledGraph): GraphSchemas {
  const builder = (graph as { builder?: BuilderLike }).builder;
  const context = runtimeSchema(() => getConfigTypeSchema(graph));
  return {
    input_schema: runtimeSchema(() => getInputTypeSchema(graph)) ?? channelSchema(builder?._inputDefinition),
    output_schema: runtimeSchema(() => getOutputTypeSchema(graph)) ?? channelSchema(builder?._outputDefinition),
    state_schema: runtimeSchema(() => getUpdateTypeSchema(graph)) ?? channelSchema(builder?._schemaDefinition),
    config_schema: context,
    context_schema: context,
  };
}

/** Nodes and edges of the graph as drawn by LangGraph; `xray` expands subgraphs (a number: that many levels). */
export async function drawGraph(graph: CompiledGraph, configurable: JsonObject | undefined, xray: boolean | number): Promise<JsonObject> {
  // `xray` is an option of CompiledGraph's drawing, which the Pregel type does not declare.
  const draw = graph.getGraphAsync.bind(graph) as (config: { configurable?: JsonObject; xray: boolean | number }) => ReturnType<CompiledGraph["getGraphAsync"]>;
  const drawable = await draw({ configurable, xray });
  return drawable.toJSON() as unknown as JsonObject;
}

/**
 * Schemas of the graph's subgraphs by namespace (`parent|child` for nested ones). With a
 * namespace, only that subgraph (a nested one needs `recurse`); an unknown namespace gives `{}`.
 */
export async function subgraphSchemas(graph: CompiledGraph, namespace: string | undefined, recurse: boolean): Promise<Record<string, GraphSchemas>> {
  const result: Record<string, GraphSchemas> = {};
  for await (const [ns, subgraph] of graph.getSubgraphsAsync(namespace, recurse)) {
    result[ns] = graphSchemas(subgraph as CompiledGraph);
  }
  return result;
}

function runtimeSchema(read: () => unknown): JsonObject | null {
  try {
    const schema = read();
    return schema && typeof schema === "object" ? (schema as JsonObject) : null;
  } catch {
    // A schema LangGraph cannot convert is reported as unknown rather than failing the route.
    return null;
  }
}

/** An object schema naming the channels of an Annotation definition (reserved `__…` channels left out). */
export function channelSchema(definition: unknown): JsonObject | null {
  if (!definition || typeof definition !== "object") return null;
  const keys = Object.keys(definition).filter((key) => !key.startsWith("__"));
  if (keys.length === 0) return null;
  return { type: "object", properties: Object.fromEntries(keys.map((key) => [key, {}])), $schema: DRAFT_07 };
}
