import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDotEnv, readLangGraphJson } from "../../src/graphs/langgraph-json.ts";
import { systemAssistantId } from "../../src/ids.ts";
import { readSettings } from "../../src/settings.ts";

const projectDirs: string[] = [];
afterAll(() => {
  for (const dir of projectDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function writeProject(content: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-cfg-"));
  projectDirs.push(dir);
  const file = path.join(dir, "langgraph.json");
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

describe("langgraph.json (spec §2.1)", () => {
  it("reads both entry forms, resolves paths and lists unused keys", () => {
    const file = writeProject({ node_version: "20", graphs: { agent: "./src/agent.ts:graph", other: { path: "./o.ts:default", description: "Other" } }, env: { A: "1" } });
    const project = readLangGraphJson(file);
    expect(project.graphs).toEqual([
      { graphId: "agent", file: path.join(path.dirname(file), "src/agent.ts"), exportName: "graph", description: null },
      { graphId: "other", file: path.join(path.dirname(file), "o.ts"), exportName: "default", description: "Other" },
    ]);
    expect(project.env).toEqual({ A: "1" });
    expect(project.ignoredKeys).toEqual(["node_version"]);
  });

  it.each([
    [{ graphs: { agent: "./src/agent.ts" } }, /must name an export/],
    [{ graphs: {} }, /at least one graph/],
    ["{not json", /cannot read/],
  ])("rejects %o", (content, message) => {
    expect(() => readLangGraphJson(writeProject(content))).toThrow(message);
  });

  it("reads a graph's step limits and local_steps, and names a bad one", () => {
    const graphs = { agent: { path: "./a.ts:graph", step_max_attempts: 2, local_steps: true }, plain: { path: "./a.ts:graph", local_steps: false } };
    expect(readLangGraphJson(writeProject({ graphs })).stepLimits).toEqual({ agent: { maxAttempts: 2, local: true }, plain: { local: false } });
    expect(() => readLangGraphJson(writeProject({ graphs: { agent: { path: "./a.ts:graph", local_steps: "yes" } } }))).toThrow(/graph "agent": "local_steps" must be a boolean/);
    expect(() => readLangGraphJson(writeProject({ graphs: { agent: { path: "./a.ts:graph", step_max_attempts: 0 } } }))).toThrow(/"step_max_attempts" must be an integer >= 1/);
  });

  it("reads auth as the JS server does: a path (export `default` when unnamed) and disable_studio_auth", () => {
    const graphs = { agent: "./a.ts:graph" };
    const file = writeProject({ graphs, auth: { path: "./src/auth.ts:auth", disable_studio_auth: true } });
    expect(readLangGraphJson(file).auth).toEqual({ file: path.join(path.dirname(file), "src/auth.ts"), exportName: "auth", disableStudioAuth: true });
    expect(readLangGraphJson(writeProject({ graphs, auth: { path: "./auth.mjs" } })).auth).toMatchObject({ exportName: "default", disableStudioAuth: false });
    // `auth` without a path (e.g. only `openapi`) turns nothing on.
    expect(readLangGraphJson(writeProject({ graphs, auth: { openapi: {} } })).auth).toBeUndefined();
    expect(() => readLangGraphJson(writeProject({ graphs, auth: { path: "./a.ts", disable_studio_auth: "yes" } }))).toThrow(/disable_studio_auth" must be a boolean/);
    expect(() => readLangGraphJson(writeProject({ graphs, auth: "./a.ts" }))).toThrow(/"auth" must be an object/);
  });

  it("reads checkpointer.ttl (minutes, fractional allowed), with the Platform's defaults", () => {
    const graphs = { agent: "./a.ts:graph" };
    expect(readLangGraphJson(writeProject({ graphs })).threadTtl).toEqual({ strategy: "delete", defaultTtlMinutes: null, sweepIntervalMinutes: 5 });
    const ttl = { strategy: "keep_latest", default_ttl: 43200, sweep_interval_minutes: 0.5 };
    expect(readLangGraphJson(writeProject({ graphs, checkpointer: { ttl } })).threadTtl).toEqual({ strategy: "keep_latest", defaultTtlMinutes: 43200, sweepIntervalMinutes: 0.5 });
    expect(readLangGraphJson(writeProject({ graphs, checkpointer: { ttl } })).ignoredKeys).toEqual([]);
    expect(() => readLangGraphJson(writeProject({ graphs, checkpointer: { ttl: { strategy: "archive" } } }))).toThrow(/strategy/);
    expect(() => readLangGraphJson(writeProject({ graphs, checkpointer: { ttl: { default_ttl: 0 } } }))).toThrow(/default_ttl/);
    // Past a hundred years the sweep's cutoff has no date: refused when the project loads.
    expect(() => readLangGraphJson(writeProject({ graphs, checkpointer: { ttl: { default_ttl: 1e300 } } }))).toThrow(/default_ttl.*at most/);
    expect(() => readLangGraphJson(writeProject({ graphs, checkpointer: { ttl: { sweep_interval_minutes: "5" } } }))).toThrow(/sweep_interval_minutes/);
  });

  it("parses .env files", () => {
    expect(parseDotEnv("# c\nA=1\nexport B='two'\nC=\"x y\"\n")).toEqual({ A: "1", B: "two", C: "x y" });
  });
});

describe("system assistant ids (spec §2.3 test vectors)", () => {
  it("are uuidv5 of the graph id", () => {
    expect(systemAssistantId("agent")).toBe("fe096781-5601-53d2-b2f6-0d3403f7e9ca");
    expect(systemAssistantId("echo")).toBe("046b5dc7-2108-582c-9c6c-31d556d138f0");
  });
});

describe("settings", () => {
  it("has local defaults and refuses bad numbers", () => {
    const settings = readSettings({}, {}, "/srv/app");
    expect(settings).toMatchObject({ host: "127.0.0.1", port: 2024, dataDir: "/srv/app/.data", configPath: "/srv/app/langgraph.json" });
    expect(settings.temporal).toMatchObject({ address: "127.0.0.1:7233", namespace: "default", uiPort: 8233 });
    expect(() => readSettings({ PORT: "http" })).toThrow(/PORT must be an integer/);
    expect(() => readSettings({ LANGGRAPH_CONFIG: "[1]" })).toThrow(/LANGGRAPH_CONFIG must be a JSON object/);
    expect(settings.ttlSweepIntervalSeconds).toBeUndefined();
    expect(readSettings({ TTL_SWEEP_INTERVAL_SECONDS: "2" }).ttlSweepIntervalSeconds).toBe(2);
    expect(() => readSettings({ TTL_SWEEP_INTERVAL_SECONDS: "0" })).toThrow(/TTL_SWEEP_INTERVAL_SECONDS/);
  });
});

describe("http and LANGGRAPH_CONFIG in langgraph.json (issue 12)", () => {
  it("reads http.app, the disable flags, cors and configurable_headers as the official server does", () => {
    const file = writeProject({
      graphs: { agent: "./a.ts:graph" },
      env: { LANGGRAPH_CONFIG: JSON.stringify({ agent: { configurable: { m: "x" }, context: { k: 1 } } }) },
      http: {
        app: "./src/app.ts",
        disable_meta: true,
        cors: { allow_origins: ["https://a.example"], allow_credentials: true, max_age: 60 },
        configurable_headers: { include: ["x-user-*"], exclude: ["x-user-secret"] },
      },
    });
    const project = readLangGraphJson(file);
    expect(project.ignoredKeys).toEqual([]);
    expect(project.http).toEqual({
      app: { file: path.join(path.dirname(file), "src/app.ts"), exportName: "default" },
      disabled: { assistants: false, threads: false, runs: false, store: false, meta: true },
      cors: { allow_origins: ["https://a.example"], allow_credentials: true, max_age: 60 },
      configurableHeaders: { includes: ["x-user-*"], excludes: ["x-user-secret"] },
    });
    expect(project.graphConfigs).toEqual({ agent: { configurable: { m: "x" }, context: { k: 1 } } });
  });

  it("names the bad key", () => {
    const bad = (http: unknown) => () => readLangGraphJson(writeProject({ graphs: { a: "./a.ts:g" }, http }));
    expect(bad({ disable_runs: "yes" })).toThrow(/"http.disable_runs" must be true or false/);
    expect(bad({ cors: { allow_origins: "*" } })).toThrow(/"http.cors.allow_origins" must be a list of strings/);
    expect(bad({ cors: { allow_origin_regex: "(" } })).toThrow(/"http.cors.allow_origin_regex"/);
    expect(bad({ app: 3 })).toThrow(/"http.app"/);
    expect(() => readLangGraphJson(writeProject({ graphs: { a: "./a.ts:g" }, env: { LANGGRAPH_CONFIG: "[]" } }))).toThrow(/"env": LANGGRAPH_CONFIG must be a JSON object/);
  });

  it("reads CORS_ALLOW_ORIGINS and WEBHOOK_ALLOW_PRIVATE_NETWORKS from the environment", () => {
    expect(readSettings({}).corsAllowOrigins).toEqual([]);
    expect(readSettings({ CORS_ALLOW_ORIGINS: "https://a.example, https://b.example" }).corsAllowOrigins).toEqual(["https://a.example", "https://b.example"]);
    expect(readSettings({}).webhooks).toEqual({ allowPrivateNetworks: false });
    expect(readSettings({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" }).webhooks).toEqual({ allowPrivateNetworks: true });
    expect(() => readSettings({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "maybe" })).toThrow(/WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false/);
  });

  it("reads the API log level once, and refuses one the logger does not know", () => {
    expect(readSettings({}).logLevel).toBe("warn");
    expect(readSettings({ LOG_LEVEL: "debug" }).logLevel).toBe("debug");
    expect(() => readSettings({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL must be one of/);
  });
});
