// A LangGraph.js project written for LangGraph Platform (test/fixtures/platform-app: the
// Platform's logger, a context schema, LANGGRAPH_CONFIG in `env`, the store, a Hono `http.app`,
// `http.configurable_headers`) is served by `langgraph-temporal dev` with no change (issue 12).
// The official JS server serves the same project beside it, and the custom routes answer alike.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { freePort } from "../../src/temporal/dev-server.ts";
import { startCli, type CliProcess } from "../helpers/processes.ts";
import { startReferenceServer, type ReferenceServer } from "../helpers/reference-server.ts";
import { FIXTURES } from "../helpers/stack.ts";

const PROJECT = path.join(FIXTURES, "platform-app");
const CONFIG = path.join(PROJECT, "langgraph.json");
const project = JSON.parse(fs.readFileSync(CONFIG, "utf8")) as { env: Record<string, string>; http: { app: string } };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-platform-app-"));
let dev: CliProcess | undefined;
let reference: ReferenceServer | undefined;
let ours = "";
let theirs = "";

beforeAll(async () => {
  const [temporalPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  dev = startCli(["dev", "--config", CONFIG, "--port", String(apiPort), "--data-dir", dataDir], {
    ...process.env,
    TEMPORAL_CLI_PATH: inject("temporalCli"),
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_UI_PORT: String(uiPort),
  });
  // The official server, given the project as `langgraphjs dev` gives it: `env` applied, paths resolved.
  reference = await startReferenceServer(
    { graphs: { greeter: path.join(PROJECT, "src/greeter.ts:graph") }, http: { app: path.join(PROJECT, project.http.app) } },
    project.env,
  );
  theirs = reference.url;
  [, ours] = (await dev.waitFor(/API: (http:\/\/\S+)/, 90_000)) as [string, string];
}, 120_000);

afterAll(async () => {
  // SIGTERM: dev stops the Temporal dev server it started (SIGKILL would leave it running).
  await dev?.kill("SIGTERM");
  await reference?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function answer(base: string, method: string, route: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe("the custom Hono app (http.app)", () => {
  it("serves its routes, with the body and headers the client sent, as the official server does", async () => {
    for (const base of [ours, theirs]) {
      expect(await answer(base, "GET", "/custom/hello")).toEqual({ status: 200, body: { hello: "world" } });
      const echo = await answer(base, "POST", "/custom/echo", { body: { n: 1, s: "é" }, headers: { "x-echo": "yes" } });
      expect(echo).toEqual({ status: 200, body: { body: { n: 1, s: "é" }, header: "yes" } });
    }
  });

  it("shadows the server's own routes, and its middleware runs before them", async () => {
    for (const base of [ours, theirs]) {
      expect(await answer(base, "GET", "/info")).toEqual({ status: 200, body: { custom: true } });
      expect(await answer(base, "GET", "/ok", { headers: { "x-block-me": "yes" } })).toEqual({ status: 418, body: { blocked: true } });
      expect(await answer(base, "GET", "/ok")).toEqual({ status: 200, body: { ok: true } });
    }
  });
});

describe("the graph", () => {
  it("gets its system assistant's config and context from LANGGRAPH_CONFIG in langgraph.json's env", async () => {
    const [mine, official] = await Promise.all([ours, theirs].map((apiUrl) => new Client({ apiUrl }).assistants.get("greeter")));
    expect(mine!.config).toEqual({ configurable: { greeting: "Hello" } });
    expect(mine!.context).toEqual({ punctuation: "!" });
    expect({ config: mine!.config, context: mine!.context }).toEqual({ config: official!.config, context: official!.context });
    const schemas = await new Client({ apiUrl: ours }).assistants.getSchemas("greeter");
    expect(schemas.context_schema).toMatchObject({ type: "object", properties: { punctuation: { type: "string", description: "Ends the greeting" } } });
  });

  it("runs with the logger, the context and only the request headers http.configurable_headers names", async () => {
    const headers = { "x-tenant-id": "t-1", "x-tenant-secret": "s3cret", authorization: "Bearer abc", cookie: "session=1" };
    const client = new Client({ apiUrl: ours, defaultHeaders: headers });
    const thread = await client.threads.create();
    const values = (await client.runs.wait(thread.thread_id, "greeter", { input: { name: "Ada" } })) as { greeting: string; headers: Record<string, string> };
    expect(values.greeting).toBe("Hello, Ada! (from the platform app)");
    // includes x-tenant-* and authorization; excludes x-tenant-secret; credentials never.
    expect(values.headers).toEqual({ "x-tenant-id": "t-1" });

    // The official server greets the same way (its headers follow its own default rule).
    const official = new Client({ apiUrl: theirs });
    const theirThread = await official.threads.create();
    const theirValues = (await official.runs.wait(theirThread.thread_id, "greeter", { input: { name: "Ada" } })) as { greeting: string };
    expect(theirValues.greeting).toBe(values.greeting);

    // getLogger() wrote a structured line naming the run, the thread and the node.
    const line = await dev!.waitFor(/^\{.*"event":"greeting".*\}$/m, 10_000);
    const logged = JSON.parse(line[0]) as Record<string, unknown>;
    expect(logged).toMatchObject({ level: "info", event: "greeting", name: "Ada", thread_id: thread.thread_id, langgraph_node: "greet", graph_id: "greeter" });
    expect(logged.run_id).toEqual(expect.any(String));
  });
  it("shares the store between its threads and with the client, as on the official server", async () => {
    for (const apiUrl of [ours, theirs]) {
      const client = new Client({ apiUrl });
      const times: unknown[] = [];
      for (let i = 0; i < 2; i++) {
        const thread = await client.threads.create();
        times.push(((await client.runs.wait(thread.thread_id, "greeter", { input: { name: "Grace" } })) as { times: number }).times);
      }
      expect(times).toEqual([1, 2]);
      expect((await client.store.getItem(["greetings"], "Grace"))?.value).toEqual({ count: 2 });
    }
  });
});

it("refuses to start when a graph fails to load, naming the graph and its file, as the official server does", async () => {
  const graphs = { greeter: path.join(PROJECT, "src/greeter.ts:graph"), missing: path.join(PROJECT, "src/greeter.ts:nope") };
  // The official server does not start either.
  await expect(startReferenceServer({ graphs }, project.env)).rejects.toThrow(/did not start/);
  const broken = path.join(dataDir, "broken.json");
  fs.writeFileSync(broken, JSON.stringify({ graphs }));
  const serve = startCli(["serve", "--config", broken, "--port", String(await freePort()), "--data-dir", path.join(dataDir, "broken")], {
    ...process.env,
    TEMPORAL_ADDRESS: "127.0.0.1:1",
  });
  await new Promise((resolve) => serve.child.once("exit", resolve));
  expect(serve.child.exitCode).toBe(1);
  expect(serve.output()).toContain(`graph "missing" failed to load from ${path.join(PROJECT, "src/greeter.ts")}: no export named "nope"`);
}, 60_000);
