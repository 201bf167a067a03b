// Crons with the official Python client (langgraph-sdk, pinned in test/python/requirements.txt),
// unchanged, against a live server.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO_ROOT, startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

it("creates, searches, counts, updates and deletes crons with langgraph_sdk", async () => {
  // Asynchronously: the server the script talks to runs in this very process.
  const { stdout } = await promisify(execFile)("python3", [path.join(REPO_ROOT, "test/python/crons.py"), stack.url]);
  expect(stdout).toContain("crons ok");
});
