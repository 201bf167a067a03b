// Issue 17: a user's LangGraph.js project adopts langgraph-temporal the way it runs
// `npx @langchain/langgraph-cli dev` today. For two versions of the supported
// @langchain/langgraph range, the test
//   1. packs our package (`npm pack`) and installs the tarball into a fresh project that has its
//      own langgraph.json, .env, TypeScript graphs and its own @langchain/langgraph;
//   2. runs `npx langgraph-temporal dev` in that folder and walks through a background run, a
//      human-in-the-loop resume, with the official SDK;
//   3. runs the installed `serve` and `worker` commands against a Temporal server, SIGKILLs the
//      worker in the middle of a step and lets a second worker finish the run;
//   4. serves the same project with the reference server (@langchain/langgraph-api's
//      startServer) and compares the final states.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { readSettings, type Env } from "../../src/settings.ts";
import { freePort } from "../../src/temporal/dev-server.ts";
import { startProcess, type CliProcess } from "../helpers/processes.ts";
import { REPO_ROOT } from "../helpers/stack.ts";
import { finalStates, type FinalStates } from "./walkthrough.ts";

const run = promisify(execFile);
const TEMPLATE = path.join(REPO_ROOT, "test/adoption/project");
const REFERENCE_SERVER = path.join(REPO_ROOT, "bench/systems/peer-server.ts");
/** tsx's loader, resolved here: the reference runs in the project, which need not have tsx. */
const TSX = import.meta.resolve("tsx");
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-adoption-"));
/**
 * The projects live in the user cache, and a run keeps their node_modules for the next: where no
 * prebuilt better-sqlite3 downloads, npm compiles it for minutes on each fresh install.
 */
const PROJECTS = path.join(readSettings(process.env).temporal.cacheDir, "adoption-projects");
let tarball: string;

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

beforeAll(async () => {
  const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", workDir], { cwd: REPO_ROOT });
  tarball = path.join(workDir, stdout.trim().split("\n").at(-1)!);
}, 120_000);

/**
 * The lowest @langchain/langgraph of our peer range (not the version we develop with) in a
 * CommonJS project, where the graphs load the CommonJS build and the server the ESM one: two
 * copies in one process. And the newest 1.x in an ES module project.
 */
const VARIANTS = [
  { name: "lowest", langgraph: "1.4.0", core: "1.1.48", type: undefined },
  { name: "newest", langgraph: "1.7.3", core: "1.4.0", type: "module" },
] as const;

describe.each(VARIANTS)("a project with @langchain/langgraph $langgraph", (variant) => {
  const project = path.join(PROJECTS, variant.name);
  const started: CliProcess[] = [];
  const baseEnv: Env = { ...process.env, TEMPORAL_CLI_PATH: inject("temporalCli") };
  let ours: FinalStates;

  function start(command: string, args: string[], env: Env = {}): CliProcess {
    const child = startProcess(command, args, { env: { ...baseEnv, ...env }, cwd: project, group: true });
    started.push(child);
    return child;
  }

  beforeAll(async () => {
    prepareProject(project);
    fs.cpSync(TEMPLATE, project, { recursive: true });
    const manifest = {
      name: `my-agent-${variant.name}`,
      private: true,
      ...(variant.type ? { type: variant.type } : {}),
      dependencies: { "@langchain/langgraph": variant.langgraph, "@langchain/core": variant.core, zod: "^3.25.76" },
      devDependencies: { "langgraph-temporal": `file:${tarball}` },
    };
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify(manifest, null, 2));
    // npm's cache lives in the user's home, so repeated runs install from it.
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: project, timeout: 900_000 });
    const installed = JSON.parse(fs.readFileSync(path.join(project, "node_modules/@langchain/langgraph/package.json"), "utf8"));
    expect(installed.version).toBe(variant.langgraph);
  }, 960_000);

  afterAll(async () => {
    for (const child of started) await child.kill("SIGKILL");
  });

  it("`npx langgraph-temporal dev` serves the project: walkthrough and human-in-the-loop resume", async () => {
    const [temporalPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const dev = start("npx", ["--no-install", "langgraph-temporal", "dev", "--port", String(apiPort), "--no-browser"], {
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      TEMPORAL_UI_PORT: String(uiPort),
    });
    const [, apiUrl] = await dev.waitFor(/API: (http:\/\/\S+)/, 180_000);
    // ./langgraph.json of the current folder, the data folder beside it.
    expect(dev.output()).toContain(`loading graphs from ${path.join(project, "langgraph.json")}; data folder ${path.join(project, ".data")}`);
    expect(dev.output()).toContain("--no-browser accepted");

    ours = await finalStates(new Client({ apiUrl }), { walkthrough: true });
    expect(ours.agent.messages.at(-1)).toMatchObject({ type: "ai", content: "It's 60 degrees and foggy. Stay dry." });
    // Token by token from the user's chat model: its AIMessageChunks reach the legacy stream.
    expect(ours.streamed).toContain("messages/partial");
    expect(ours.approval).toEqual({ topic: "fog", draft: "A note about fog", verdict: "yes", published: "A note about fog" });

    await dev.kill("SIGTERM");
    expect(fs.existsSync(path.join(project, ".data/temporal.sqlite"))).toBe(true);
  }, 300_000);

  it("a worker SIGKILLed mid-step costs that step only (installed `serve` and `worker`)", async () => {
    const bin = path.join(project, "node_modules/.bin/langgraph-temporal");
    const stepLog = path.join(project, "steps.log");
    const env: Env = {
      TEMPORAL_ADDRESS: inject("temporalAddress"),
      TEMPORAL_TASK_QUEUE: `adoption-${variant.name}`,
      LANGGRAPH_TEMPORAL_DATA_DIR: path.join(project, ".data-scaled"),
      STEP_HEARTBEAT_TIMEOUT_SECONDS: "2",
      STEP_LOG: stepLog,
      TOOL_DELAY_MS: "3000",
    };
    const apiPort = await freePort();
    const serve = start(bin, ["serve", "--port", String(apiPort)], env);
    const [, apiUrl] = await serve.waitFor(/API: (http:\/\/\S+)/, 120_000);
    const first = start(bin, ["worker"], env);
    await first.waitFor(/worker polling/, 120_000);

    const client = new Client({ apiUrl });
    const thread = await client.threads.create();
    const bg = await client.runs.create(thread.thread_id, "agent", { input: { messages: [{ role: "user", content: "weather in sf" }] } });
    await waitFor(() => readLines(stepLog).includes("start search weather in sf"), 60_000);
    await first.kill("SIGKILL");

    const second = start(bin, ["worker"], env);
    await second.waitFor(/worker polling/, 120_000);
    const values = (await client.runs.join(thread.thread_id, bg.run_id)) as { messages: Array<{ content: string }> };
    expect(values.messages.at(-1)!.content).toBe("It's 60 degrees and foggy. Stay dry.");
    expect((await client.runs.get(thread.thread_id, bg.run_id)).status).toBe("success");
    // The tool step ran again on the second worker; nothing after the kill ran twice.
    expect(readLines(stepLog)).toEqual(["start search weather in sf", "start search weather in sf", "end search weather in sf"]);
  }, 300_000);

  it("gives the final states the reference server gives for the same input", async () => {
    expect(ours, "the dev walkthrough ran").toBeDefined();
    const port = await freePort();
    const graphs = { agent: "./src/agent.ts:graph", approval: "./src/approval.ts:graph" };
    // langgraphjs dev applies the project's .env; startServer alone does not.
    const reference = start(process.execPath, ["--import", TSX, REFERENCE_SERVER, JSON.stringify({ port, cwd: project, nWorkers: 2, graphs })], {
      WEATHER_SIGN_OFF: "Stay dry.",
    });
    await reference.waitFor(/peer listening/, 120_000);
    const theirs = await finalStates(new Client({ apiUrl: `http://127.0.0.1:${port}` }), { walkthrough: false });
    // The reference sends no `checkpoints` events on this endpoint (langgraph-api 1.5.1); ours
    // are LangGraph's own (test/e2e/streaming-differential.test.ts): one before each `values`,
    // and the announcement after the last step, read with RunControl from the user's LangGraph.
    expect({ ...ours, streamed: ours.streamed.filter((event) => event !== "checkpoints") }).toEqual(theirs);
    expect(ours.streamed.filter((event) => event === "checkpoints")).toHaveLength(theirs.streamed.filter((event) => event === "values").length + 1);
  }, 240_000);
});

/**
 * Empties a project folder but for its installed packages (ours removed, so that the tarball
 * just packed is installed); a first project starts from another's packages when there is one.
 */
function prepareProject(project: string): void {
  fs.mkdirSync(project, { recursive: true });
  for (const entry of fs.readdirSync(project)) {
    if (entry !== "node_modules") fs.rmSync(path.join(project, entry), { recursive: true, force: true });
  }
  forgetOurPackage(project);
  const installed = fs.readdirSync(PROJECTS).find((other) => fs.existsSync(path.join(PROJECTS, other, "node_modules/better-sqlite3/build")));
  if (!fs.existsSync(path.join(project, "node_modules")) && installed) {
    fs.cpSync(path.join(PROJECTS, installed, "node_modules"), path.join(project, "node_modules"), { recursive: true, verbatimSymlinks: true });
    forgetOurPackage(project);
  }
}

/** npm's record of the installed tree goes too: it would take the old tarball as installed. */
function forgetOurPackage(project: string): void {
  for (const stale of ["node_modules/langgraph-temporal", "node_modules/.package-lock.json"]) {
    fs.rmSync(path.join(project, stale), { recursive: true, force: true });
  }
}

function readLines(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
