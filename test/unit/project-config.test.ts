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
  });

  it("reads the API log level once, and refuses one the logger does not know", () => {
    expect(readSettings({}).logLevel).toBe("warn");
    expect(readSettings({ LOG_LEVEL: "debug" }).logLevel).toBe("debug");
    expect(() => readSettings({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL must be one of/);
  });
});
