// Runs the README's curl walkthrough, as a user would paste it, against a live server.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO_ROOT, startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

function readmeCurlBlock(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const match = /<!-- curl-walkthrough -->\s*```bash\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error("README.md has no curl walkthrough block");
  return match[1]!;
}

it("the README's curl walkthrough prints the walkthrough's answers", async () => {
  // Asynchronously: the server answering curl runs in this very process.
  const { stdout: output } = await promisify(execFile)("bash", ["-euo", "pipefail", "-c", readmeCurlBlock()], {
    env: { ...process.env, URL: stack.url },
  });
  const lines = output.trim().split("\n");
  expect(lines[0]).toBe("[]");
  expect(["pending", "running"]).toContain(lines[1]);
  expect(lines[2]).toBe("4");
  expect(lines[3]).toBe("success");
  expect(lines[4]).toContain("San Francisco");
});
