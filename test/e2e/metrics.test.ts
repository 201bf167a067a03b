// GET /metrics (issue 16): the API's Prometheus text shows the requests, runs and streams made.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

/** The value of one series line, e.g. `name{a="b"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

it("counts requests by route and status, runs by strategy, and stream clients", async () => {
  const thread = await stack.sdk.threads.create();
  const run = await stack.sdk.runs.create(thread.thread_id, "factory", { input: {}, multitaskStrategy: "enqueue" });
  await stack.sdk.runs.join(thread.thread_id, run.run_id);
  for await (const _ of stack.sdk.runs.stream(thread.thread_id, "factory", { input: {} })) void _;
  await fetch(`${stack.url}/threads/not-a-uuid`);

  const response = await fetch(`${stack.url}/metrics`);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  expect(sample(text, 'langgraph_runs_created_total{strategy="enqueue"}')).toBe(1);
  expect(sample(text, 'langgraph_runs_created_total{strategy="reject"}')).toBe(1);
  expect(sample(text, 'langgraph_http_requests_total{route="/threads",method="POST",status="200"}')).toBe(1);
  expect(sample(text, 'langgraph_http_requests_total{route="/threads/:thread_id",method="GET",status="422"}')).toBe(1);
  expect(sample(text, 'langgraph_http_request_duration_seconds_count{route="/threads/:thread_id/runs",method="POST"}')).toBe(1);
  // The stream has ended: its client is gone again.
  expect(sample(text, "langgraph_sse_clients")).toBe(0);
});

it("reports the database and Temporal connections at /ok?check_db=1", async () => {
  expect(await (await fetch(`${stack.url}/ok?check_db=1`)).json()).toEqual({ ok: true, database: "ok", temporal: "ok" });
});
