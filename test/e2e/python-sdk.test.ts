// The official Python client (langgraph-sdk, pinned in test/python/requirements.txt, in a venv
// the test creates), unchanged, against a live server: the walkthrough, and the crons calls.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Venv } from "../../src/python-venv.ts";
import { pythonTools } from "../helpers/python-tools.ts";
import { REPO_ROOT, startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
let python: Venv;
beforeAll(async () => {
  python = await pythonTools("test/python/requirements.txt");
  stack = await startStack();
}, 300_000);
afterAll(async () => stack?.stop());

it("runs the background-run walkthrough with langgraph_sdk", async () => {
  // Asynchronously: the server the script talks to runs in this very process.
  const { stdout } = await promisify(execFile)(python.python, [path.join(REPO_ROOT, "test/python/walkthrough.py"), stack.url]);
  expect(stdout).toContain("San Francisco");
});

it("creates, searches, counts, updates and deletes crons with langgraph_sdk", async () => {
  const { stdout } = await promisify(execFile)(python.python, [path.join(REPO_ROOT, "test/python/crons.py"), stack.url]);
  expect(stdout).toContain("crons ok");
});
