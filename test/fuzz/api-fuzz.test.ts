// `npm run test:fuzz`: schemathesis generates requests from /openapi.json (valid and invalid,
// bounded in cases and time) against a real stack. No answer may be a 5xx, every 4xx must be
// JSON with a `detail`, the server must keep serving, and data written before the run must
// read back unchanged afterwards.
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Venv } from "../../src/python-venv.ts";
import { pythonTools } from "../helpers/python-tools.ts";
import { startStack, type Stack } from "../helpers/stack.ts";
import { schemathesis, summarize } from "./schemathesis.ts";

/** Cases per operation and phase; with ~30 operations this bounds the run to a few minutes. */
const MAX_EXAMPLES = 20;
const MAX_SECONDS = 300;
/** schemathesis's read timeout per request. */
const REQUEST_TIMEOUT_SECONDS = 30;
/**
 * The server's deadline for a run (MAX_RUN_SECONDS), delay included. A wait for a run (join,
 * `/wait`, a run's stream) lasts as long as the run, and a generated run may ask to start up to a
 * hundred years later (`after_seconds`): with the default hour, such a wait, whose newline every
 * 10 s keeps the read timeout from firing, held a schemathesis worker for the rest of the run,
 * and so did every wait for a run queued behind it on the shared thread. With this deadline a
 * delayed run ends `timeout` within seconds. (Graphs' own deadlines still apply: step-timeout's
 * 60 s.)
 */
const RUN_DEADLINE_SECONDS = 5;

let stack: Stack;
let tools: Venv;
beforeAll(async () => {
  tools = await pythonTools("test/fuzz/requirements.txt");
  stack = await startStack({ env: { MAX_RUN_SECONDS: String(RUN_DEADLINE_SECONDS) } });
}, 600_000);
afterAll(async () => stack?.stop());

async function threadWithRun(metadata: Record<string, string>) {
  const thread = await stack.sdk.threads.create({ metadata });
  const run = await stack.sdk.runs.create(thread.thread_id, "factory", { input: {}, config: { configurable: { name: "fuzz" } } });
  await stack.sdk.runs.join(thread.thread_id, run.run_id);
  return { threadId: thread.thread_id, runId: run.run_id };
}

/**
 * The answers that outlasted the client's read timeout, and those still open: what to look at
 * when the run stops answering (printed when there are any).
 */
function watchLongAnswers(app: Stack["app"]) {
  const open = new Map<IncomingMessage, number>();
  const long: string[] = [];
  app.server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    open.set(request, Date.now());
    response.once("close", () => {
      const ms = Date.now() - open.get(request)!;
      open.delete(request);
      if (ms > REQUEST_TIMEOUT_SECONDS * 1000) long.push(`${request.method} ${request.url}: ${ms} ms`);
    });
  });
  return () => [...long, ...[...open].map(([request, start]) => `${request.method} ${request.url}: still open after ${Date.now() - start} ms`)];
}

/** What a client reads back of the data written before the fuzz run (new data may be added). */
async function snapshot(threadId: string, assistantIds: string[]) {
  return {
    thread: await stack.sdk.threads.get(threadId),
    state: await stack.sdk.threads.getState(threadId),
    runs: await stack.sdk.runs.list(threadId),
    assistants: await Promise.all(assistantIds.map((id) => stack.sdk.assistants.get(id))),
  };
}

it("answers generated requests without a 5xx, with JSON errors, and leaves earlier data unchanged", async () => {
  // 1. data written before the run: a thread with metadata and a finished run; and a second
  //    such thread for the fuzzer to use, so that thread-scoped operations get past their 404
  const thread = await threadWithRun({ fuzz: "keep" });
  const assistantIds = (await stack.sdk.assistants.search({ limit: 100 })).map((a) => a.assistant_id);
  const before = await snapshot(thread.threadId, assistantIds);
  const playground = await threadWithRun({ fuzz: "playground" });
  // An assistant of its own too: the fuzzer reuses ids it reads in answers (an assistant search
  // lists them all), and a valid DELETE of one is no refused request.
  const playgroundAssistant = await stack.sdk.assistants.create({ graphId: "factory", name: "fuzz playground" });

  // 2. the fuzz run, from the server's own OpenAPI document; crons are left out, as every cron a
  //    generated request creates is a Temporal Schedule that goes on firing runs
  const longAnswers = watchLongAnswers(stack.app);
  const workDir = fs.mkdtempSync(path.join(stack.dataDir, "fuzz-"));
  const configFile = path.join(workDir, "schemathesis.toml");
  fs.writeFileSync(configFile, `[parameters]\n"path.thread_id" = "${playground.threadId}"\n"path.run_id" = "${playground.runId}"\n"path.assistant_id" = "${playgroundAssistant.assistant_id}"\n`);
  const result = await schemathesis([
    "--config-file",
    configFile,
    "run",
    `${stack.url}/openapi.json`,
    "--checks",
    // Every answer also matches what /openapi.json declares for its route and status (issue 11).
    "not_a_server_error,client_error_has_detail,status_code_conformance,content_type_conformance,response_schema_conformance",
    "--phases",
    "examples,coverage,fuzzing",
    "--max-examples",
    String(MAX_EXAMPLES),
    "--seed",
    "20240601",
    "--workers",
    "2",
    "--request-timeout",
    String(REQUEST_TIMEOUT_SECONDS),
    // Crons would keep firing. The thread's stream never ends by itself (it follows the thread's
    // runs until the client leaves), so each case would take the whole request timeout (which
    // schemathesis applies to an event stream in total). The streaming e2e suites cover it.
    "--exclude-path-regex",
    "crons|^/threads/\\{thread_id\\}/stream$",
    "--suppress-health-check",
    "all",
    "--report",
    "json",
    "--report-dir",
    workDir,
  ], { bin: tools.bin, maxSeconds: MAX_SECONDS });
  const summary = summarize(result);
  // The whole report only when something failed (each failure with a curl line to reproduce it).
  // On success its pytest-style closing banner ("== 2 warnings in 35s ==") stays out of the log:
  // CI reads such a banner as a test runner's verdict, and this one counts no test.
  if (result.exitCode !== 0) console.log(result.output);
  const long = longAnswers();
  if (long.length > 0) console.log(`answers longer than ${REQUEST_TIMEOUT_SECONDS} s or still open:\n${long.join("\n")}`);
  console.log(`fuzz summary: ${summary.operations} operations, cases tried ${summary.cases}, failures: ${summary.failures}, answers longer than ${REQUEST_TIMEOUT_SECONDS} s: ${long.length}`);

  // 3. the server still serves, and the data from before reads back the same
  expect((await fetch(`${stack.url}/ok`)).status).toBe(200);
  expect(await snapshot(thread.threadId, assistantIds)).toEqual(before);
  expect(summary.cases).toBeGreaterThan(0);
  expect(summary.failures).toBe(0);
  expect(result.exitCode).toBe(0);
});
