// Starts the oracle once for the whole differential run (its startup loads every graph), in a
// child process of its own, and hands its URL to the test files.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { startReferenceServer } from "../helpers/reference-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    referenceUrl: string;
  }
}

export const DIFFERENTIAL_CONFIG = fileURLToPath(new URL("./langgraph.json", import.meta.url));

export default async function setup(project: TestProject) {
  // Our per-graph step limits (`{path, step_max_attempts}`) are not the oracle's: it gets the path.
  const specs = (JSON.parse(fs.readFileSync(DIFFERENTIAL_CONFIG, "utf8")) as { graphs: Record<string, string | { path: string }> }).graphs;
  const graphs = Object.fromEntries(
    Object.entries(specs).map(([id, spec]) => [id, path.resolve(path.dirname(DIFFERENTIAL_CONFIG), typeof spec === "string" ? spec : spec.path)]),
  );
  const reference = await startReferenceServer({ graphs, nWorkers: 4 }, { LANGSMITH_TRACING: "false", LOG_LEVEL: "warn" });
  project.provide("referenceUrl", reference.url);
  return () => reference.stop();
}
