// A LangGraph.js project written for LangGraph Platform (test/fixtures/platform-app: the
// Platform's logger, a context schema, LANGGRAPH_CONFIG in `env`, a Hono `http.app`,
// `http.configurable_headers`) is served by `langgraph-temporal dev` with no change (issue 12).
// The official JS server serves the same project beside it, and the custom routes answer alike.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { freePort } from "../../src/temporal/dev-server.ts";
import { startCli, type CliProcess } from "../helpers/processes.ts";
import { FIXTURES, REPO_ROOT } from "../helpers/stack.ts";

const PROJECT = path.join(FIXTURES, "platform-app");
const CONFIG = path.join(PROJECT, "langgraph.json");
const project = JSON.parse(fs.readFileSync(CONFIG, "utf8")) as { env: Record<string, string>; http: { app: string } };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-platform-app-"));
let dev: CliProcess | undefined;
let reference: CliProcess | undefined;
let ours = "";
let theirs = "";

/** The official server, as `langgraphjs dev` starts it: `env` applied, paths resolved from the project. */
async function startReference(): Promise<CliProcess> {
  const port = await freePort();
  const entry = path.join(REPO_ROOT, "bench/systems/peer-server.ts");
  const options = {
    port,
    cwd: dataDir,
    nWorkers: 1,
    graphs: { greeter: path.join(PROJECT, "src/greeter.ts:graph") },
    http: { app: path.join(PROJECT, project.http.app) },
  };
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), entry, JSON.stringify(options)], {
    cwd: dataDir,
    env: { ...process.env, ...project.env, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return wrap(child);
}

function wrap(child: ReturnType<typeof spawn>): CliProcess {
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    output: () => output,
    async waitFor(pattern, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = output.match(pattern);
        if (match) return match;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${pattern} in:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

beforeAll(async () => {
  const [temporalPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  dev = startCli(["dev", "--config", CONFIG, "--port", String(apiPort), "--data-dir", dataDir], {
    ...process.env,
    TEMPORAL_CLI_PATH: inject("temporalCli"),
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_UI_PORT: String(uiPort),
  });
  reference = await startReference();
  [, ours] = (await dev.waitFor(/API: (http:\/\/\S+)/, 90_000)) as [string, string];
  const [, host] = (await reference.waitFor(/peer listening on (\S+)/)) as [string, string];
  theirs = `http://${host}`;
}, 120_000);

afterAll(async () => {
  await dev?.kill("SIGKILL");
  await reference?.kill("SIGKILL");
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
});

it("refuses to start when a graph fails to load, naming the graph and its file, as the official server does", async () => {
  const broken = path.join(dataDir, "broken.json");
  fs.writeFileSync(broken, JSON.stringify({ graphs: { greeter: path.join(PROJECT, "src/greeter.ts:graph"), missing: path.join(PROJECT, "src/greeter.ts:nope") } }));
  const serve = startCli(["serve", "--config", broken, "--port", String(await freePort()), "--data-dir", path.join(dataDir, "broken")], {
    ...process.env,
    TEMPORAL_ADDRESS: "127.0.0.1:1",
  });
  await new Promise((resolve) => serve.child.once("exit", resolve));
  expect(serve.child.exitCode).toBe(1);
  expect(serve.output()).toContain(`graph "missing" failed to load from ${path.join(PROJECT, "src/greeter.ts")}: no export named "nope"`);
}, 60_000);
