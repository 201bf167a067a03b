// The graphs of the bench's langgraph.json, for the systems that load them without our server
// (the peer, the floor): both entry forms, `"<file>:<export>"` and `{"path": …}`.
import fs from "node:fs";
import path from "node:path";

export interface BenchGraph {
  /** Absolute path of the module. */
  file: string;
  exportName: string;
}

export function readBenchGraphs(config: string): Record<string, BenchGraph> {
  const specs = (JSON.parse(fs.readFileSync(config, "utf8")) as { graphs: Record<string, string | { path: string }> }).graphs;
  return Object.fromEntries(
    Object.entries(specs).map(([id, spec]) => {
      const target = typeof spec === "string" ? spec : spec.path;
      const colon = target.lastIndexOf(":");
      return [id, { file: path.resolve(path.dirname(config), target.slice(0, colon)), exportName: target.slice(colon + 1) }];
    }),
  );
}
