// A graph importing an @langchain/langgraph outside the supported range is refused at load,
// naming the version it found (issue 17).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { GraphRegistry } from "../../src/graphs/registry.ts";
import { isSupportedLangGraph, langGraphVersionFor } from "../../src/graphs/langgraph-range.ts";
import { REPO_ROOT } from "../helpers/stack.ts";

const project = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-range-"));
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

it.each([
  ["1.4.0", true],
  ["1.7.3", true],
  ["1.10.0", true],
  ["1.3.7", false],
  ["0.4.10", false],
  ["2.0.0", false],
])("@langchain/langgraph %s supported: %s", (version, supported) => {
  expect(isSupportedLangGraph(version)).toBe(supported);
});

it("refuses a graph whose project has @langchain/langgraph 1.3.7", async () => {
  const pkg = path.join(project, "node_modules/@langchain/langgraph");
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "@langchain/langgraph", version: "1.3.7" }));
  const file = path.join(project, "graph.mjs");
  fs.writeFileSync(file, "export const graph = {};\n");
  const load = GraphRegistry.load([{ graphId: "old", file, exportName: "graph", description: null }], {} as never, {} as never);
  await expect(load).rejects.toThrow('graph "old" failed to load from ' + file + ": it imports @langchain/langgraph 1.3.7; langgraph-temporal supports ^1.4.0");
});

it("finds the copy a graph resolves: ours for the example agent", () => {
  const ours = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules/@langchain/langgraph/package.json"), "utf8")).version;
  expect(langGraphVersionFor(path.join(REPO_ROOT, "examples/weather-agent/src/agent.ts"))).toBe(ours);
});
