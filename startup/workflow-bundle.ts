// The worker's workflow bundle, made by a child process (bundle-workflows.ts) so that webpack
// never loads into the server process, and kept in the user cache (Settings.temporal.cacheDir)
// with the hash of every file it was made from: a start finds it there unless one changed.
import { fork } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const WORKFLOWS_PATH = fileURLToPath(new URL("../workflows/index.ts", import.meta.url));
const BUNDLER = fileURLToPath(new URL("./bundle-workflows.ts", import.meta.url));
/** tsx's loader for the child, resolved from here: the user's project may not have tsx. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** The bundle and the sha256 of each file it depends on, by absolute path. */
export interface BundleMessage {
  code: string;
  inputs: Record<string, string>;
}

export const sha256 = (file: string): string => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/** One entry per installation: checkouts and projects in other folders have their own. */
const cacheFile = (cacheDir: string) =>
  path.join(cacheDir, "workflow-bundles", `${createHash("sha256").update(WORKFLOWS_PATH).digest("hex").slice(0, 16)}.json`);

function cached(file: string): BundleMessage | undefined {
  try {
    const entry = JSON.parse(fs.readFileSync(file, "utf8")) as BundleMessage;
    return Object.entries(entry.inputs).every(([input, hash]) => fs.existsSync(input) && sha256(input) === hash) ? entry : undefined;
  } catch {
    return undefined; // absent or unreadable: bundle again
  }
}

function bundleInChild(): Promise<BundleMessage> {
  return new Promise((resolve, reject) => {
    const child = fork(BUNDLER, [WORKFLOWS_PATH], { execArgv: ["--import", TSX], stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
    });
    child.once("message", (message) => resolve(message as BundleMessage));
    child.once("error", reject);
    // After the message this is a no-op.
    child.once("exit", (code) => reject(new Error(`bundling the workflows failed (exit code ${code}):\n${stderr.trim()}`)));
  });
}

/** Written whole then renamed: servers starting together never read half an entry. */
function store(file: string, entry: BundleMessage): void {
  const partial = `${file}.${process.pid}`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(partial, JSON.stringify(entry));
    fs.renameSync(partial, file);
  } catch {
    // A cache that cannot be written only means bundling again at the next start.
    fs.rmSync(partial, { force: true });
  }
}

export async function workflowBundle(cacheDir: string): Promise<{ code: string }> {
  const file = cacheFile(cacheDir);
  const hit = cached(file);
  if (hit) return { code: hit.code };
  const entry = await bundleInChild();
  store(file, entry);
  return { code: entry.code };
}
