// Runs the README's curl walkthrough, as a user would paste it, against a live server, with
// nothing on PATH but curl and node (issue 10: no jq needed).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO_ROOT, startStack, type Stack } from "../helpers/stack.ts";

const toolsDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-curl-"));
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
  fs.rmSync(toolsDir, { recursive: true, force: true });
});

/** A PATH folder holding only curl and node. */
function curlAndNodeOnly(): string {
  const curl = (process.env.PATH ?? "").split(path.delimiter).map((dir) => path.join(dir, "curl")).find((file) => fs.existsSync(file));
  if (!curl) throw new Error("the README's curl walkthrough needs curl");
  fs.symlinkSync(curl, path.join(toolsDir, "curl"));
  fs.symlinkSync(process.execPath, path.join(toolsDir, "node"));
  return toolsDir;
}

function readmeCurlBlock(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const match = /<!-- curl-walkthrough -->\s*```bash\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error("README.md has no curl walkthrough block");
  return match[1]!;
}

it("the README's curl walkthrough prints the walkthrough's answers", async () => {
  // Asynchronously: the server answering curl runs in this very process.
  const { stdout: output } = await promisify(execFile)("/bin/bash", ["-euo", "pipefail", "-c", readmeCurlBlock()], {
    env: { ...process.env, PATH: curlAndNodeOnly(), URL: stack.url },
  });
  const lines = output.trim().split("\n");
  expect(lines[0]).toBe("[]");
  expect(["pending", "running"]).toContain(lines[1]);
  expect(lines[2]).toBe("4");
  expect(lines[3]).toBe("success");
  expect(lines[4]).toContain("San Francisco");
});
