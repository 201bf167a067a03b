// Child process entry: the oracle, the official in-memory LangGraph.js server
// (@langchain/langgraph-api), serving the differential suite's langgraph.json. It runs in its
// own process because its module-level state (graph registry, in-memory ops) would clash with
// ours. argv: a JSON object { port, cwd, graphs }.
import { startServer } from "@langchain/langgraph-api/server";

const options = JSON.parse(process.argv.at(-1)!) as { port: number; cwd: string; graphs: Record<string, string> };
const { host, cleanup } = await startServer({ host: "127.0.0.1", nWorkers: 4, ...options });
console.log(`reference listening on ${host}`);

process.once("SIGTERM", () => {
  void cleanup().finally(() => process.exit(0));
});
