// The reference implementation (issue 12, "the oracle"): the official in-memory LangGraph.js
// server, `@langchain/langgraph-api`'s startServer, in a child process as the bench's peer runs
// it, serving the named graphs from a fresh folder (where it keeps its files).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { spawnNode } from "../../bench/systems/child.ts";
import { freePort } from "../../src/temporal/dev-server.ts";

const ENTRY = fileURLToPath(new URL("../../bench/systems/peer-server.ts", import.meta.url));

export interface ReferenceServer {
  url: string;
  stop(): Promise<void>;
}

/** `graphs`: graph id → "<absolute file>:<export>". */
export async function startReferenceServer(graphs: Record<string, string>): Promise<ReferenceServer> {
  const port = await freePort();
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-reference-"));
  const child = spawnNode([ENTRY, JSON.stringify({ port, cwd, nWorkers: 2, graphs })], { cwd, env: { ...process.env, LOG_LEVEL: "warn" } });
  const stop = async () => {
    await child.stop();
    fs.rmSync(cwd, { recursive: true, force: true });
  };
  try {
    await child.waitFor(/peer listening on/, 120_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}
