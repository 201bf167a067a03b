// Finds a Temporal CLI to run the dev server with (design: "The Temporal CLI binary"):
// TEMPORAL_CLI_PATH, then `temporal` on PATH, then our cached build, then a build with
// `go install` into that cache. When all fail, callers fall back to the SDK's download.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** Newest CLI tag whose go.mod has no `replace` directives, which `go install` rejects. */
export const TEMPORAL_CLI_VERSION = "v1.5.1";
const MODULE = "github.com/temporalio/cli/cmd/temporal";

export interface CliLocation {
  cliPath: string | undefined;
  cacheDir: string;
}

export const cachedCliPath = (cacheDir: string): string =>
  path.join(cacheDir, `temporal-cli-${TEMPORAL_CLI_VERSION}`, "temporal");

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The binary to use, building it when needed; undefined when no route works here. */
export async function provisionTemporalCli({ cliPath, cacheDir }: CliLocation, log = console.error): Promise<string | undefined> {
  if (cliPath) {
    if (!isExecutable(cliPath)) throw new Error(`TEMPORAL_CLI_PATH=${cliPath} is not an executable file`);
    return cliPath;
  }
  const found = onPath("temporal");
  if (found) return found;
  const cached = cachedCliPath(cacheDir);
  if (isExecutable(cached)) return cached;
  if (!onPath("go")) {
    log("No Temporal CLI found and no Go toolchain to build one.");
    return undefined;
  }
  await goInstall(path.dirname(cached), log);
  return isExecutable(cached) ? cached : undefined;
}

async function goInstall(binDir: string, log: (line: string) => void): Promise<void> {
  fs.mkdirSync(binDir, { recursive: true });
  log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${binDir} (first time only; takes a few minutes)…`);
  const started = Date.now();
  const env = { ...process.env, GOBIN: binDir };
  const code = await new Promise<number | null>((resolve) => {
    // Go prints each module it downloads: that is the progress the user sees.
    const child = spawn("go", ["install", `${MODULE}@${TEMPORAL_CLI_VERSION}`], { env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("exit", resolve);
    child.on("error", () => resolve(null));
  });
  if (code !== 0) log(`go install failed (exit ${code}); trying the next way to get a Temporal server.`);
  else log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s.`);
}

/** `langgraph-temporal temporal <args…>`: runs the provisioned CLI with the user's arguments. */
export function runTemporalCli(binary: string, args: string[]): number {
  return spawnSync(binary, args, { stdio: "inherit" }).status ?? 1;
}
