// The Python packages a test needs (the official Python client, schemathesis), from a venv
// that this helper creates in the user cache with the pinned versions of a requirements file,
// so `npm test` needs no pip install by hand (issue 10). One venv per requirements content:
// editing the file makes a new one; later runs reuse it.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { readSettings } from "../../src/settings.ts";
import { createVenv, venvAt, type Venv } from "../../src/python-venv.ts";
import { REPO_ROOT } from "./stack.ts";

/** How long another process may hold the lock while it installs before we take over. */
const STALE_LOCK_MS = 10 * 60_000;

/** The venv for `requirements` (a path from the repository root), created on first use. */
export async function pythonTools(requirements: string): Promise<Venv> {
  const file = path.join(REPO_ROOT, requirements);
  const digest = createHash("sha256").update(fs.readFileSync(file)).digest("hex").slice(0, 12);
  const name = requirements.replace(/[^\w]+/g, "-").replace(/-txt$/, "");
  const dir = path.join(readSettings(process.env).temporal.cacheDir, "python", `${name}-${digest}`);
  const ready = path.join(dir, ".ready");
  if (fs.existsSync(ready)) return venvAt(dir);
  // Test files of parallel vitest runs may ask at once: one installs, the others wait.
  const lock = `${dir}.lock`;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  while (!tryLock(lock)) {
    if (fs.existsSync(ready)) return venvAt(dir);
    await sleep(1000);
  }
  try {
    if (fs.existsSync(ready)) return venvAt(dir);
    const venv = await createVenv(dir, file);
    fs.writeFileSync(ready, `${requirements}\n`);
    return venv;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function tryLock(lock: string): boolean {
  try {
    fs.mkdirSync(lock);
    return true;
  } catch {
    const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > STALE_LOCK_MS) fs.rmSync(lock, { recursive: true, force: true });
    return false;
  }
}
