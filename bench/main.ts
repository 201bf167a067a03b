// `npm run bench [-- --quick]`: our server, the peer (the official in-memory LangGraph.js
// server), the floor (the graph in-process) and the Temporal floor (a bare workflow of one
// activity per step on our Temporal server), measured side by side in one run under the same
// client load; results under bench/results/ as JSON, a markdown table and an SVG chart.
//
// Options: --quick (CI smoke run), --out <dir>, --systems ours,peer,floor,temporal-floor (a subset;
// the Temporal floor needs ours, whose Temporal server it uses),
// --skip workloads,goals,profile,growth,recovery (sections to leave out, e.g. while profiling),
// --soak <minutes> (our server and the peer under steady load, memory sampled; not run by default).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Bench, measureGrowth, measureWorkloads } from "./measure.ts";
import { measureGoals } from "./goals.ts";
import type { Failures } from "./load.ts";
import { DEFAULT_PLAN, QUICK_PLAN, WORKLOADS } from "./plan.ts";
import { profileOurServer } from "./profile.ts";
import { measureRecovery } from "./recovery.ts";
import { soak, soakOptions, SOAK_SYSTEMS } from "./soak.ts";
import type { BenchResults } from "./results.ts";
import { writeReport } from "./report/write.ts";
import { startFloor, startTemporalFloor } from "./systems/floor.ts";
import { startOurs, type OursSystem } from "./systems/ours.ts";
import { startPeer } from "./systems/peer.ts";
import type { System } from "./systems/system.ts";

const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));
const BENCH_CONFIG = fileURLToPath(new URL("./langgraph.json", import.meta.url));

const NOT_MEASURED = "not measured in this run";

const log = (line: string) => console.log(`[bench] ${line}`);

/** The environment every system gets: the offline scripted model, quiet logs, no tracing. */
function benchEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", LANGSMITH_TRACING: "false", LANGCHAIN_TRACING_V2: "false" };
  delete env.ANTHROPIC_API_KEY;
  delete env.OPENAI_API_KEY;
  return env;
}

function machine(): Record<string, string> {
  const cpus = os.cpus();
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpu: `${cpus.length} × ${cpus[0]?.model ?? "unknown"}`,
    memoryGb: String(Math.round(os.totalmem() / 2 ** 30)),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    commit,
    loadAverageAtStart: os.loadavg()[0]!.toFixed(2),
  };
}

async function attempt<T>(what: string, fn: () => Promise<T>): Promise<T | { error: string }> {
  try {
    const result = await fn();
    log(what);
    return result;
  } catch (err) {
    log(`${what} failed: ${(err as Error).message}`);
    return { error: (err as Error).message };
  }
}

/** Sections that failed and measurements with failed requests ("not measured" is no failure). */
function failuresOf(results: BenchResults): string[] {
  const failures: string[] = [];
  for (const [section, outcome] of [["goals", results.goals], ["profile", results.profile], ["recovery", results.recovery], ["soak", results.soak ?? { error: NOT_MEASURED }]] as const) {
    if ("error" in outcome && outcome.error !== NOT_MEASURED) failures.push(`${section}: ${outcome.error}`);
  }
  type Measurements = Partial<Record<string, { sequential: Failures; throughput?: Failures[] }>>;
  const measured = [
    ...results.workloads.map((w): [string, Measurements] => [w.label, w.bySystem]),
    ...results.growth.steps.map((g): [string, Measurements] => [`${g.steps} steps`, g.bySystem]),
    ...results.growth.exitSteps.map((g): [string, Measurements] => [`${g.steps} steps, durability exit`, g.bySystem]),
    ...results.growth.activityTasks.map((g): [string, Measurements] => [`${g.steps} steps, activity tasks`, g.bySystem]),
    ...("error" in results.goals ? [] : results.goals.rounds.map((round, i): [string, Measurements] => [`goals, round ${i + 1}`, round])),
    ...results.growth.state.map((g): [string, Measurements] => [`state ${g.kb} KB`, g.bySystem]),
    ...results.growth.threads.map((g, i): [string, Measurements] => [`threads stored, point ${i + 1}`, g.bySystem]),
  ];
  if (results.soak && !("error" in results.soak)) {
    for (const [system, series] of Object.entries(results.soak.bySystem)) {
      const errors = series!.minutes.reduce((n, m) => n + m.errors, 0);
      if (errors > 0) failures.push(`soak · ${system}: ${errors} failed runs (${series!.minutes.find((m) => m.firstError)!.firstError})`);
    }
  }
  for (const [what, bySystem] of measured) {
    for (const [system, result] of Object.entries(bySystem)) {
      const failed = [result!.sequential, ...(result!.throughput ?? [])].filter((r) => r.errors > 0);
      if (failed.length > 0) failures.push(`${what} · ${system}: ${failed.reduce((n, r) => n + r.errors, 0)} failed runs (${failed[0]!.firstError})`);
    }
  }
  return failures;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      out: { type: "string" },
      systems: { type: "string", default: "ours,peer,floor,temporal-floor" },
      skip: { type: "string", default: "" },
      soak: { type: "string" },
    },
  });
  const soakMinutes = values.soak === undefined ? undefined : Number(values.soak);
  if (soakMinutes !== undefined && !(Number.isInteger(soakMinutes) && soakMinutes > 0)) throw new Error(`--soak takes a whole number of minutes (got "${values.soak}")`);
  const plan = values.quick ? QUICK_PLAN : DEFAULT_PLAN;
  const wanted = new Set(values.systems.split(","));
  const skip = new Set(values.skip.split(",").filter(Boolean));
  const outDir = path.resolve(values.out ?? path.join(REPO_ROOT, "bench/results"));
  const startedAt = new Date();
  const machineAtStart = machine();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-bench-"));
  const env = benchEnv();
  const systems: System[] = [];
  log(`${plan.mode} run; scratch data in ${workDir}`);
  try {
    let ours: OursSystem | undefined;
    if (wanted.has("ours")) {
      ours = await startOurs({ repoRoot: REPO_ROOT, config: BENCH_CONFIG, dataDir: path.join(workDir, "ours"), env });
      systems.push(ours);
      log(`ours: ${ours.url} (Temporal ${ours.temporalAddress})`);
    }
    if (wanted.has("peer")) {
      fs.mkdirSync(path.join(workDir, "peer"));
      systems.push(await startPeer({ config: BENCH_CONFIG, dataDir: path.join(workDir, "peer"), env }));
      log("peer: started");
    }
    if (wanted.has("floor")) {
      systems.push(await startFloor({ config: BENCH_CONFIG, cwd: REPO_ROOT, env }));
      log("floor: started");
    }
    if (wanted.has("temporal-floor") && ours) {
      systems.push(await startTemporalFloor({ temporalAddress: ours.temporalAddress, temporalServerPid: ours.temporalServerPid, cwd: REPO_ROOT, env }));
      log("temporal floor: started");
    }
    const bench = new Bench(plan, systems);

    const { workloads, storedAtFirst } = skip.has("workloads") ? { workloads: [], storedAtFirst: {} } : await measureWorkloads(bench);
    const goals = skip.has("goals") || !ours || !wanted.has("temporal-floor") ? { error: NOT_MEASURED } : await attempt("goals of the 1-node graph, paired rounds", () => measureGoals(bench));
    const profile =
      ours && !skip.has("profile")
        ? await attempt("profile of the 1-node graph · ours", () =>
            profileOurServer({ url: ours.url, temporalAddress: ours.temporalAddress, runs: plan.profileRuns, workload: WORKLOADS[0]!.workload }),
          )
        : { error: NOT_MEASURED };
    const firstOneNode = workloads[0] ? { storedThreads: storedAtFirst, bySystem: workloads[0].bySystem } : undefined;
    const growth = skip.has("growth") ? { steps: [], exitSteps: [], activityTasks: [], state: [], threads: [] } : await measureGrowth(bench, firstOneNode);
    const soaked = systems.filter((s) => SOAK_SYSTEMS.includes(s.name));
    const soakResult =
      soakMinutes === undefined
        ? undefined
        : await attempt(`soak of ${soakMinutes} min · ${soaked.map((s) => s.name).join(", ")}`, () => soak(soaked, soakOptions(soakMinutes), log));

    // Crash recovery brings up its own processes: the others are stopped first.
    for (const system of systems.splice(0)) await system.stop();
    const recovery =
      wanted.has("ours") && !skip.has("recovery")
        ? await attempt("crash recovery · ours", () => measureRecovery({ plan: plan.recovery, config: BENCH_CONFIG, workDir, env }))
        : { error: NOT_MEASURED };

    const results: BenchResults = {
      startedAt: startedAt.toISOString(),
      durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
      machine: { ...machineAtStart, loadAverageAtEnd: os.loadavg()[0]!.toFixed(2) },
      plan,
      systems: {
        ours: "langgraph-temporal dev (Temporal dev server with its SQLite file, worker and API in one process tree)",
        peer: "@langchain/langgraph-api 1.5.1 startServer, in-memory, 10 queue workers (langgraphjs dev default)",
        floor: "graph.invoke in-process with MemorySaver (no server, no durability)",
        "temporal-floor": "a bare workflow of one activity per super-step (no HTTP, no LangGraph) on our dev's Temporal server, worker and client in one process, eager start",
      },
      workloads,
      growth,
      goals,
      peakRssBytes: bench.peakRss,
      profile,
      recovery,
      ...(soakResult ? { soak: soakResult } : {}),
    };
    const files = writeReport(results, outDir);
    log(`done in ${results.durationSeconds.toFixed(0)} s: ${files.join(", ")}`);
    const failures = failuresOf(results);
    for (const failure of failures) log(`FAILED ${failure}`);
    // CI runs the quick mode: a section or request that failed must fail the run.
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    for (const system of systems) await system.stop().catch(() => undefined);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(),
  (err: Error) => {
    console.error(`[bench] failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
