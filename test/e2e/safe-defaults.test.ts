// Probes of the safe defaults against hostile clients (issue 13): webhooks to loopback or
// private addresses are refused when the run is created, an oversized /runs/batch is refused
// at once, and searches over 10,000 threads with large states stay within a memory bound.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { now, type Thread } from "../../src/api-types.ts";
import { newThreadId } from "../../src/ids.ts";
import { openStorage } from "../../src/storage/open-storage.ts";
import { freePort } from "../../src/temporal/dev-server.ts";
import { apiCaller } from "../helpers/http.ts";
import { startCli, type CliProcess } from "../helpers/processes.ts";
import { FIXTURES, startStack, type Stack } from "../helpers/stack.ts";

describe("against a default stack", () => {
  let stack: Stack;
  const call = apiCaller(() => stack.url);
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.stop());

  it("refuses webhooks to loopback, link-local and private targets with a 422 naming webhook, storing nothing", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const threadsBefore = await stack.sdk.threads.count();
    const targets = [
      "http://127.0.0.1:9/hook", "http://localhost:8080/hook", "http://[::1]/hook", "http://10.0.0.7/hook",
      "http://192.168.1.1/hook", "http://169.254.169.254/latest/meta-data", "http://[::ffff:127.0.0.1]/hook", "gopher://example.com/",
    ];
    for (const webhook of targets) {
      for (const route of [`/threads/${thread_id}/runs`, "/runs", "/runs/wait"]) {
        const answer = await call("POST", route, { assistant_id: "factory", input: {}, webhook });
        expect({ webhook, route, status: answer.status, param: answer.body.param }).toEqual({ webhook, route, status: 422, param: "webhook" });
      }
    }
    expect(await stack.sdk.runs.list(thread_id)).toEqual([]);
    expect(await stack.sdk.threads.count()).toBe(threadsBefore);
  });

  it("caps limit at 1000 on every list, with a 422 naming limit", async () => {
    const { thread_id } = await stack.sdk.threads.create();
    const lists: Array<[string, string, unknown?]> = [
      ["POST", "/threads/search", { limit: 1001 }],
      ["POST", "/assistants/search", { limit: 1001 }],
      ["POST", "/assistants/factory/versions", { limit: 1001 }],
      ["GET", `/threads/${thread_id}/runs?limit=1001`],
      ["GET", `/threads/${thread_id}/history?limit=1001`],
      ["POST", `/threads/${thread_id}/history`, { limit: 1001 }],
    ];
    for (const [method, route, body] of lists) {
      const answer = await call(method, route, body);
      expect({ route, status: answer.status, param: answer.body.param }).toEqual({ route, status: 422, param: "limit" });
    }
  });

  it("refuses a /runs/batch of 5,000 runs at once with a 422, creating nothing", async () => {
    const threadsBefore = await stack.sdk.threads.count();
    const batch = Array.from({ length: 5000 }, () => ({ assistant_id: "factory", input: {} }));
    const started = performance.now();
    const answer = await call("POST", "/runs/batch", batch);
    const elapsedMs = performance.now() - started;
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 422, code: "validation_error" });
    expect(answer.body.detail).toContain("100");
    // Refused before any run is made: no thread per run was created.
    expect(await stack.sdk.threads.count()).toBe(threadsBefore);
    console.log(`[safe-defaults] /runs/batch of 5000 refused in ${elapsedMs.toFixed(0)} ms`);
    expect(elapsedMs).toBeLessThan(2000);
  });
});

describe("searching 10,000 threads with large states", () => {
  const THREADS = 10_000;
  const STATE_BYTES = 20_000;
  /** Peak RSS growth allowed while searching; loading every state would need > 200 MB. */
  const BOUND_MB = 100;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-search-memory-"));
  let serve: CliProcess | undefined;
  let url = "";
  afterAll(async () => {
    await serve?.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Peak resident memory of the process so far (VmHWM), in MB. */
  function peakRssMb(pid: number): number {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
  }

  it(`stay within ${BOUND_MB} MB of peak memory growth in the API process`, async () => {
    // 1. 10,000 threads of 20 KB state each (200 MB of JSON), three of them marked.
    const { storage } = await openStorage({ dataDir, databaseUrl: undefined });
    const filler = "x".repeat(STATE_BYTES);
    for (let i = 0; i < THREADS; i++) {
      const timestamp = now();
      const marked = i % 4000 === 7;
      const thread: Thread = {
        thread_id: newThreadId(), created_at: timestamp, updated_at: timestamp, state_updated_at: timestamp,
        metadata: { n: i, ...(marked ? { marked: true } : {}) }, status: "idle", config: {},
        values: { messages: [{ type: "human", content: filler }], marker: marked ? "needle" : "hay" }, interrupts: {},
      };
      await storage.threads.create(thread);
    }
    await storage.close();

    // 2. the API alone, as a process of its own whose peak memory /proc reports
    const port = await freePort();
    serve = startCli(["serve", "--config", path.join(FIXTURES, "langgraph.json"), "--port", String(port), "--data-dir", dataDir], {
      ...process.env,
      TEMPORAL_ADDRESS: inject("temporalAddress"),
    });
    [, url] = (await serve.waitFor(/API: (http:\/\/\S+)/, 60_000)) as [string, string];
    const post = async (route: string, body: unknown) => {
      const response = await fetch(`${url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as unknown, total: response.headers.get("x-pagination-total") };
    };
    expect((await post("/threads/count", {})).body).toBe(THREADS);
    const baseline = peakRssMb(serve.child.pid!);

    // 3. searches that must look at every row: by values, by metadata, counts, sorted pages
    const byValues = await post("/threads/search", { values: { marker: "needle" }, limit: 10 });
    expect({ status: byValues.status, found: (byValues.body as unknown[]).length, total: byValues.total }).toEqual({ status: 200, found: 3, total: "3" });
    const byMetadata = await post("/threads/search", { metadata: { marked: true }, limit: 2, offset: 1 });
    expect({ found: (byMetadata.body as unknown[]).length, total: byMetadata.total }).toEqual({ found: 2, total: "3" });
    expect((await post("/threads/count", { values: { marker: "hay" } })).body).toBe(THREADS - 3);
    const page = await post("/threads/search", { limit: 100, offset: 5000, sort_by: "updated_at", sort_order: "asc" });
    expect((page.body as unknown[]).length).toBe(100);

    const growth = peakRssMb(serve.child.pid!) - baseline;
    console.log(`[safe-defaults] searches over ${THREADS} threads of ${STATE_BYTES / 1000} KB: peak RSS ${baseline.toFixed(0)} MB before, +${growth.toFixed(1)} MB while searching`);
    expect(growth).toBeLessThan(BOUND_MB);
  }, 300_000);
});
