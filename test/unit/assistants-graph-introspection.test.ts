import { Annotation, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { channelSchema, graphSchemas, subgraphSchemas } from "../../src/assistants/graph-introspection.ts";
import type { CompiledGraph } from "../../src/graphs/registry.ts";

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";
/** The registry's view of a graph: its state types do not matter here. */
const compiled = (graph: unknown) => graph as CompiledGraph;

describe("graphSchemas", () => {
  it("turns zod state (as an update), input, output and context into JSON Schema", () => {
    const graph = compiled(
      new StateGraph({
        input: z.object({ question: z.string() }),
        state: z.object({ question: z.string(), answer: z.string().optional() }),
        output: z.object({ answer: z.string() }),
        context: z.object({ model: z.enum(["a", "b"]) }),
      })
        .addNode("respond", () => ({ answer: "42" }))
        .addEdge(START, "respond")
        .compile(),
    );
    const schemas = graphSchemas(graph);
    expect(schemas.input_schema).toMatchObject({ type: "object", properties: { question: { type: "string" } }, $schema: DRAFT_07 });
    // The JS server's state schema is that of an update: no key is required.
    expect(schemas.state_schema).toMatchObject({ properties: { question: { type: "string" }, answer: { type: "string" } } });
    expect(schemas.state_schema).not.toHaveProperty("required");
    expect(schemas.output_schema).toMatchObject({ properties: { answer: { type: "string" } }, required: ["answer"] });
    expect(schemas.config_schema).toMatchObject({ properties: { model: { type: "string", enum: ["a", "b"] } } });
    expect(schemas.context_schema).toEqual(schemas.config_schema);
  });

  it("names the channels of an Annotation graph, and has no context schema for it", () => {
    const State = Annotation.Root({ ...MessagesAnnotation.spec, count: Annotation<number> });
    const graph = compiled(new StateGraph(State).addNode("n", () => ({})).addEdge(START, "n").compile());
    const channels = { type: "object", properties: { messages: {}, count: {} }, $schema: DRAFT_07 };
    expect(graphSchemas(graph)).toEqual({
      input_schema: channels,
      output_schema: channels,
      state_schema: channels,
      config_schema: null,
      context_schema: null,
    });
  });

  it("is null for what a graph does not describe", () => {
    expect(graphSchemas(compiled({}))).toEqual({
      input_schema: null,
      output_schema: null,
      state_schema: null,
      config_schema: null,
      context_schema: null,
    });
    expect(channelSchema(undefined)).toBeNull();
    expect(channelSchema({ __reserved: 1 })).toBeNull();
  });
});

describe("subgraphSchemas", () => {
  it("keys subgraphs by namespace, nested ones joined with |", async () => {
    const Log = Annotation.Root({ log: Annotation<string[]> });
    const inner = new StateGraph(Log).addNode("i", () => ({})).addEdge(START, "i").compile();
    const middle = new StateGraph(Log).addNode("inner", inner).addEdge(START, "inner").compile();
    const outer = compiled(new StateGraph(Log).addNode("middle", middle).addEdge(START, "middle").compile());
    expect(Object.keys(await subgraphSchemas(outer, undefined, false))).toEqual(["middle"]);
    expect(Object.keys(await subgraphSchemas(outer, undefined, true))).toEqual(["middle", "middle|inner"]);
    expect(Object.keys(await subgraphSchemas(outer, "middle|inner", true))).toEqual(["middle|inner"]);
    expect(await subgraphSchemas(outer, "elsewhere", true)).toEqual({});
  });
});
