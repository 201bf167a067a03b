// The peer: the official in-memory LangGraph.js server (@langchain/langgraph-api), in a child
// process, with the worker count of `langgraphjs dev` (--n-jobs-per-worker 10).
import { fileURLToPath } from "node:url";
import { freePort } from "../../src/temporal/dev-server.ts";
import { sdkDrivers } from "./http-driver.ts";
import { spawnNode } from "./child.ts";
import { readBenchGraphs } from "./graph-specs.ts";
import { httpSystem, type System } from "./system.ts";

const ENTRY = fileURLToPath(new URL("./peer-server.ts", import.meta.url));
const PEER_WORKERS = 10;

export interface PeerOptions {
  /** langgraph.json whose graphs the peer serves. */
  config: string;
  /** Where the peer keeps its files (.langgraph_api/). */
  dataDir: string;
  env: NodeJS.ProcessEnv;
}

export async function startPeer({ config, dataDir, env }: PeerOptions): Promise<System> {
  const port = await freePort();
  // The peer resolves graph files against its cwd, which is its data folder here.
  const graphs = Object.fromEntries(Object.entries(readBenchGraphs(config)).map(([id, g]) => [id, `${g.file}:${g.exportName}`]));
  const child = spawnNode([ENTRY, JSON.stringify({ port, cwd: dataDir, nWorkers: PEER_WORKERS, graphs })], {
    cwd: dataDir,
    env,
  });
  try {
    await child.waitFor(/peer listening on/);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return httpSystem("peer", sdkDrivers(`http://127.0.0.1:${port}`), () => [child.pid], () => child.stop());
}
