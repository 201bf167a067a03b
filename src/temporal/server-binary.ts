// Finds Temporal's multi-service server and its SQL schema tool (issue 16: the production
// topology run for real) in our user cache, building both with `go install` when missing.
// The CLI's dev server (cli-binary.ts) stays the default; these two are for a real cluster.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { isExecutable } from "./cli-binary.ts";

/** The server release we build, test against and name in docker-compose.yml's images. */
export const TEMPORAL_SERVER_VERSION = "v1.29.1";
const PACKAGES = {
  server: "go.temporal.io/server/cmd/server",
  sql: "go.temporal.io/server/cmd/tools/sql",
} as const;

export interface ServerBinaries {
  /** `server start --service <name>` runs one service of the cluster. */
  server: string;
  /** `sql setup-schema` / `update-schema` for persistence and visibility. */
  sql: string;
}

export const serverBinaryDir = (cacheDir: string): string => path.join(cacheDir, `temporal-server-${TEMPORAL_SERVER_VERSION}`);

/**
 * Both binaries from `cacheDir` (Settings.temporal.cacheDir), each built once when absent.
 * Building compiles several hundred Go packages: about ten minutes on two busy cores.
 */
export async function provisionTemporalServer(cacheDir: string, log: (line: string) => void = console.error): Promise<ServerBinaries> {
  const binDir = serverBinaryDir(cacheDir);
  const binaries = { server: path.join(binDir, "server"), sql: path.join(binDir, "sql") };
  for (const name of ["server", "sql"] as const) {
    if (!isExecutable(binaries[name])) await goInstall(PACKAGES[name], binDir, log);
    if (!isExecutable(binaries[name])) throw new Error(`building ${PACKAGES[name]}@${TEMPORAL_SERVER_VERSION} left no binary at ${binaries[name]}`);
  }
  return binaries;
}

async function goInstall(pkg: string, binDir: string, log: (line: string) => void): Promise<void> {
  fs.mkdirSync(binDir, { recursive: true });
  const target = `${pkg}@${TEMPORAL_SERVER_VERSION}`;
  log(`Building ${target} with Go into ${binDir} (first time only; about ten minutes on a small machine)…`);
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  // `go install -v` names each package as it compiles it; we print a count and the latest one
  // every 15 s instead of thousands of lines, so the wait is visibly progressing.
  let compiled = 0;
  let latest = "";
  const ticker = setInterval(() => log(`  … ${elapsed()}: ${compiled} packages compiled, now ${latest || "downloading modules"}`), 15_000);
  let stderrTail = "";
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn("go", ["install", "-v", target], { env: { ...process.env, GOBIN: binDir }, stdio: ["ignore", "inherit", "pipe"] });
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-4000);
      for (const line of chunk.split("\n").filter(Boolean)) {
        if (line.startsWith("go: ")) log(line);
        else {
          compiled++;
          latest = line;
        }
      }
    });
    child.on("exit", resolve);
    child.on("error", () => resolve(null));
  });
  clearInterval(ticker);
  if (code !== 0) throw new Error(`go install ${target} failed (exit ${code}) after ${elapsed()}:\n${stderrTail}`);
  log(`Built ${target} in ${elapsed()} (${compiled} packages).`);
}
