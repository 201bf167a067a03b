// Our server in its embedded default: `langgraph-temporal dev` (Temporal dev server with its
// SQLite file, worker and API in one process tree), started as a child process.
import path from "node:path";
import { freePort } from "../../src/temporal/dev-server.ts";
import { processName, processTree } from "../proc-stats.ts";
import { sdkDrivers } from "./http-driver.ts";
import { spawnNode } from "./child.ts";
import { httpSystem, type System } from "./system.ts";

export interface OursOptions {
  repoRoot: string;
  config: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
}

export interface OursSystem extends System {
  url: string;
  temporalAddress: string;
  /** The Temporal server that `dev` started (the Temporal floor runs on it too). */
  temporalServerPid(): number | undefined;
}

export async function startOurs({ repoRoot, config, dataDir, env }: OursOptions): Promise<OursSystem> {
  const port = await freePort();
  const temporalAddress = `127.0.0.1:${await freePort()}`;
  const child = spawnNode([path.join(repoRoot, "bin/langgraph-temporal.js"), "dev", "--config", config, "--port", String(port), "--data-dir", dataDir], {
    cwd: repoRoot,
    tsx: false,
    env: { ...env, TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_UI_PORT: String(await freePort()) },
  });
  try {
    await child.waitFor(/API: (http:\/\/\S+)/);
  } catch (err) {
    await child.stop();
    throw err;
  }
  const url = `http://127.0.0.1:${port}`;
  const system = httpSystem("ours", sdkDrivers(url), () => [child.pid], () => child.stop());
  const temporalServerPid = () => processTree(child.pid).find((pid) => processName(pid) === "temporal");
  return { ...system, url, temporalAddress, temporalServerPid };
}
