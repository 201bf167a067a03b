// Child process entry of the peer: the official in-memory LangGraph.js server
// (@langchain/langgraph-api), started with its own startServer, serving the bench's graphs.
// argv: a JSON object { port, cwd, nWorkers, graphs }.
import { startServer } from "@langchain/langgraph-api/server";

const options = JSON.parse(process.argv.at(-1)!) as { port: number; cwd: string; nWorkers: number; graphs: Record<string, string> };
const { host, cleanup } = await startServer({ host: "127.0.0.1", ...options });
console.log(`peer listening on ${host}`);

process.once("SIGTERM", () => {
  void cleanup().finally(() => process.exit(0));
});
