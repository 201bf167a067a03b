// The markdown report: every figure of a run, with our server's ratio to the peer, to the floor
// and to the Temporal floor.
import { GOAL_VARIANTS, type GoalsResult, type GoalVariant } from "../goals.ts";
import type { BenchResults, Measured, WorkloadResult } from "../results.ts";
import { median } from "../stats.ts";
import type { SequentialResult, ThroughputResult } from "../load.ts";
import type { SoakResult } from "../soak.ts";
import type { SystemName } from "../systems/system.ts";

const SYSTEMS: SystemName[] = ["ours", "peer", "floor", "temporal-floor"];

function num(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return "–";
  if (Math.abs(value) >= 100) return value.toFixed(0);
  return value.toFixed(digits);
}

function ratio(ours: number | undefined, other: number | undefined): string {
  if (ours === undefined || other === undefined || !Number.isFinite(ours) || !Number.isFinite(other) || other === 0) return "–";
  const r = ours / other;
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/**
 * `both`: how the two floors combine into what a durable LangGraph run cannot go below (Temporal's
 * cost plus the graph's own): times add up, and so do the times per run behind a rate.
 */
type Metric = { name: string; pick: (w: WorkloadResult, system: SystemName) => number | undefined; both?: "sum" | "rate" };

function bothFloors(metric: Metric, floor: number | undefined, temporalFloor: number | undefined): number | undefined {
  if (!metric.both || floor === undefined || temporalFloor === undefined) return undefined;
  return metric.both === "sum" ? floor + temporalFloor : 1 / (1 / floor + 1 / temporalFloor);
}

const throughputAt = (w: WorkloadResult, concurrency: number): Measured<ThroughputResult> | undefined =>
  w.throughput.find((t) => t.concurrency === concurrency);

/** Server CPU per completed run (ms) in the closed loop at `concurrency` clients. */
function cpuMsPerRun(w: WorkloadResult, concurrency: number): number | undefined {
  const t = throughputAt(w, concurrency);
  return t && t.completed > 0 ? (t.usage.cpuSeconds * 1000) / t.completed : undefined;
}

const mb = (bytes: number | undefined) => (bytes === undefined ? undefined : bytes / 2 ** 20);

function metrics(concurrencies: number[]): Metric[] {
  const middle = concurrencies.includes(10) ? 10 : concurrencies[0]!;
  const highest = concurrencies.at(-1)!;
  return [
    // The floor has no request: a "create" there only starts a promise. The Temporal floor's
    // create is its workflow start.
    { name: "create p50 (ms)", pick: (w, s) => (s === "floor" ? undefined : w.sequential.create.p50) },
    { name: "create p99 (ms)", pick: (w, s) => (s === "floor" ? undefined : w.sequential.create.p99) },
    { name: `create p50 at ${highest} clients (ms)`, pick: (w, s) => (s === "floor" ? undefined : throughputAt(w, highest)?.create?.p50) },
    { name: "create → join p50, sequential (ms)", pick: (w) => w.sequential.e2e.p50, both: "sum" },
    { name: "create → join p99, sequential (ms)", pick: (w) => w.sequential.e2e.p99 },
    ...concurrencies.map((c): Metric => ({ name: `runs/s at ${c} clients`, pick: (w: WorkloadResult) => throughputAt(w, c)?.runsPerSecond, both: "rate" })),
    { name: `create → join p50 at ${highest} clients (ms)`, pick: (w) => throughputAt(w, highest)?.e2e.p50 },
    {
      name: `server CPU per run at ${middle} clients (ms)`,
      both: "sum",
      pick: (w) => cpuMsPerRun(w, middle),
    },
    {
      name: `server CPU at ${highest} clients (cores)`,
      pick: (w) => {
        const t = throughputAt(w, highest);
        return t ? t.usage.cpuSeconds / t.seconds : undefined;
      },
    },
    { name: "peak RSS (MB)", pick: (w) => mb(Math.max(w.sequential.usage.peakRssBytes, ...w.throughput.map((t) => t.usage.peakRssBytes))) },
  ];
}

/** Each process name's share, e.g. "node 300, temporal 120". */
function byName(bytes: Record<string, number> | undefined): string {
  if (!bytes) return "";
  return Object.entries(bytes)
    .sort(([, a], [, b]) => b - a)
    .map(([name, value]) => `${name} ${num(mb(value))}`)
    .join(", ");
}

/**
 * Peak RSS of every system during the first workload's window at the highest concurrency: all of
 * a system's processes, their largest sampled sum (and each name's own peak, which may fall at
 * another instant).
 */
function peakRssUnderLoad(results: BenchResults): string[] {
  const workload = results.workloads[0];
  const highest = results.plan.concurrencies.at(-1)!;
  if (!workload) return [];
  const peak = (s: SystemName) => workload.bySystem[s] && throughputAt(workload.bySystem[s]!, highest)?.usage;
  const rows = SYSTEMS.filter((s) => peak(s)).map((s) => `| ${s} | ${num(mb(peak(s)!.peakRssBytes))} | ${byName(peak(s)!.peakRssBytesByName)} |`);
  if (rows.length === 0) return [];
  return [
    `### Peak RSS at ${highest} clients (${workload.label})`,
    "",
    "| system | peak RSS, all processes (MB) | peak by process (MB) |",
    "|---|---:|---|",
    ...rows,
    "",
    `Ours ÷ peer: ${ratio(peak("ours")?.peakRssBytes, peak("peer")?.peakRssBytes)}.`,
  ];
}

function soakSection(soak: SoakResult | { error: string } | undefined): string[] {
  if (!soak) return [];
  const header = ["## Soak", ""];
  if ("error" in soak) return [...header, `Soak failed: ${soak.error}`, ""];
  const systems = SYSTEMS.filter((s) => soak.bySystem[s]);
  const rows = Math.max(0, ...systems.map((s) => soak.bySystem[s]!.minutes.length));
  const verdict = systems.map((s) => {
    const series = soak.bySystem[s]!;
    const sign = series.growthBytes >= 0 ? "+" : "−";
    return `${s} ${sign}${num(Math.abs(mb(series.growthBytes)!))} MB (${sign}${num(Math.abs(series.growthRatio - 1) * 100)}%)`;
  });
  return [
    ...header,
    `${soak.minutes} minutes of the 1-node graph, ${soak.concurrency} clients in closed loops on each system at once; ` +
      `RSS of all a system's processes sampled every ${soak.sampleSeconds} s, averaged per minute.`,
    "",
    `| minute | ${systems.map((s) => `${s} RSS (MB) | ${s} by process (MB) | ${s} runs/s`).join(" | ")} |`,
    `|---:|${systems.map(() => "---:|---|---:").join("|")}|`,
    ...Array.from({ length: rows }, (_, i) => {
      const cells = systems.map((s) => {
        const m = soak.bySystem[s]!.minutes[i];
        return m ? `${num(mb(m.meanRssBytes))} | ${byName(m.meanRssBytesByName)} | ${num(m.runsPerSecond)}` : " |  | ";
      });
      return `| ${i + 1} | ${cells.join(" | ")} |`;
    }),
    "",
    `Growth from the first minute to the last: ${verdict.join("; ")}. The curve: soak.svg.`,
    "",
  ];
}

function errorsOf(w: WorkloadResult | undefined): number {
  return w ? w.sequential.errors + w.throughput.reduce((sum, t) => sum + t.errors, 0) : 0;
}

function sideBySide(results: BenchResults): string[] {
  const lines = [
    "| workload | metric | ours | peer | floor | Temporal floor | ours ÷ peer | ours ÷ floor | ours ÷ Temporal floor | ours ÷ both floors |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const workload of results.workloads) {
    const others = results.workloads.find((w) => w.label === workload.othersFrom)?.bySystem ?? workload.bySystem;
    const measured = (s: SystemName) => (s === "ours" ? workload.bySystem : others)[s];
    metrics(results.plan.concurrencies).forEach((metric, i) => {
      const values = SYSTEMS.map((s) => (measured(s) ? metric.pick(measured(s)!, s) : undefined));
      const [ours, peer, floor, temporalFloor] = values;
      lines.push(
        `| ${i === 0 ? workload.label : ""} | ${metric.name} | ${values.map((v) => num(v)).join(" | ")} | ${ratio(ours, peer)} | ${ratio(ours, floor)} | ${ratio(ours, temporalFloor)} | ${ratio(ours, bothFloors(metric, floor, temporalFloor))} |`,
      );
    });
    if (workload.othersFrom) lines.push(`|  | (the other systems: their ${workload.othersFrom} above) |  |  |  |  |  |  |  |  |`);
    const errors = SYSTEMS.map((s) => errorsOf(workload.bySystem[s]));
    if (errors.some((e) => e > 0)) lines.push(`|  | failed requests | ${errors.join(" | ")} |  |  |  |  |`);
  }
  return lines;
}

function growthTables(results: BenchResults): string[] {
  const { growth } = results;
  const concurrency = results.plan.growth.concurrency;
  const p50 = (s?: { sequential: Measured<SequentialResult> }) => s?.sequential.e2e.p50;
  const rate = (w?: WorkloadResult) => w?.throughput[w.throughput.length - 1]?.runsPerSecond;
  const lines = [
    "### Steps per run",
    "",
    `| steps | e2e p50 ours (ms) | peer | floor | Temporal floor | ours ÷ peer | ours ÷ Temporal floor | runs/s at ${concurrency} clients ours | peer | floor | Temporal floor | ours ÷ peer | ours ÷ Temporal floor |`,
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...growth.steps.map(({ steps, bySystem: b }) => {
      const t = b["temporal-floor"];
      return `| ${steps} | ${num(p50(b.ours))} | ${num(p50(b.peer))} | ${num(p50(b.floor))} | ${num(p50(t))} | ${ratio(p50(b.ours), p50(b.peer))} | ${ratio(p50(b.ours), p50(t))} | ${num(rate(b.ours))} | ${num(rate(b.peer))} | ${num(rate(b.floor))} | ${num(rate(t))} | ${ratio(rate(b.ours), rate(b.peer))} | ${ratio(rate(b.ours), rate(t))} |`;
    }),
    "",
    ...perStepCost(growth.steps),
    "",
    ...exitStepsTable(growth, p50, rate, concurrency),
    ...activityTasksTable(growth, p50, rate, concurrency),
    "### State size (1-node graph, conversation of 1 KB messages)",
    "",
    "| state | e2e p50 ours (ms) | peer | floor | ours ÷ peer | ours ÷ floor | peak RSS ours (MB) | peer | floor |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...growth.state.map(({ kb, bySystem: b }) => {
      const rss = (s: SystemName) => mb(b[s]?.sequential.usage.peakRssBytes);
      return `| ${kb >= 1000 ? `${kb / 1000} MB` : `${kb} KB`} | ${num(p50(b.ours))} | ${num(p50(b.peer))} | ${num(p50(b.floor))} | ${ratio(p50(b.ours), p50(b.peer))} | ${ratio(p50(b.ours), p50(b.floor))} | ${num(rss("ours"))} | ${num(rss("peer"))} | ${num(rss("floor"))} |`;
    }),
    "",
    "### Threads already stored (1-node graph)",
    "",
    `| threads stored (ours / peer) | e2e p50 ours (ms) | peer | ours ÷ peer | runs/s at ${concurrency} clients ours | peer | ours ÷ peer |`,
    "|---|---:|---:|---:|---:|---:|---:|",
    ...growth.threads.map(({ storedThreads, bySystem: b }) => {
      const at = (w?: WorkloadResult) => w?.throughput.find((t) => t.concurrency === concurrency)?.runsPerSecond;
      return `| ${storedThreads.ours ?? "–"} / ${storedThreads.peer ?? "–"} | ${num(p50(b.ours))} | ${num(p50(b.peer))} | ${ratio(p50(b.ours), p50(b.peer))} | ${num(at(b.ours))} | ${num(at(b.peer))} | ${ratio(at(b.ours), at(b.peer))} |`;
    }),
  ];
  return lines;
}

/**
 * The chains again with `durability: "exit"`, which lets our step activities run several
 * super-steps each; against the Temporal floor's one activity per step (its rows above).
 */
function exitStepsTable(
  growth: BenchResults["growth"],
  p50: (s?: { sequential: Measured<SequentialResult> }) => number | undefined,
  rate: (w?: WorkloadResult) => number | undefined,
  concurrency: number,
): string[] {
  if (growth.exitSteps.length === 0) return [];
  const temporalFloor = (steps: number) => plainRun(growth, steps)?.bySystem["temporal-floor"];
  // A run's first step is never batched: the 1-step chain is the same run either way.
  const first = growth.steps[0];
  const last = growth.exitSteps.at(-1)!;
  const lastPlain = plainRun(growth, last.steps);
  const ours = first && slopeOf("ours", first, last);
  const temporal = first && lastPlain && slopeOf("temporal-floor", first, lastPlain);
  return [
    "### Steps per run with `durability: \"exit\"`",
    "",
    `| steps | e2e p50 ours (ms) | peer | floor | ours ÷ peer | ours ÷ Temporal floor | runs/s at ${concurrency} clients ours | peer | floor | ours ÷ peer | ours ÷ Temporal floor |`,
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...growth.exitSteps.map(({ steps, bySystem: b }) => {
      const t = temporalFloor(steps);
      return `| ${steps} | ${num(p50(b.ours))} | ${num(p50(b.peer))} | ${num(p50(b.floor))} | ${ratio(p50(b.ours), p50(b.peer))} | ${ratio(p50(b.ours), p50(t))} | ${num(rate(b.ours))} | ${num(rate(b.peer))} | ${num(rate(b.floor))} | ${ratio(rate(b.ours), rate(b.peer))} | ${ratio(rate(b.ours), rate(t))} |`;
    }),
    "",
    `Per-step cost with durability exit (sequential p50, ${first?.steps ?? "–"} → ${last.steps} steps): ours ${num(ours)} ms, against the Temporal floor's ${num(temporal)} ms per activity (${ratio(ours, temporal)}).`,
    "",
  ];
}

/**
 * The chains again on graph entries with `"local_steps": false` (our server only: each step an
 * activity task, as a run with `durability: "sync"` gets), against the Temporal floor's one
 * activity per step and our own default rows, whose steps are local activities.
 */
function activityTasksTable(
  growth: BenchResults["growth"],
  p50: (s?: { sequential: Measured<SequentialResult> }) => number | undefined,
  rate: (w?: WorkloadResult) => number | undefined,
  concurrency: number,
): string[] {
  const tasks = growth.activityTasks ?? [];
  if (tasks.length === 0) return [];
  const first = tasks[0]!;
  const last = tasks.at(-1)!;
  const firstPlain = plainRun(growth, first.steps);
  const lastPlain = plainRun(growth, last.steps);
  const ours = last.steps > first.steps ? slopeOf("ours", first, last) : undefined;
  const temporal = firstPlain && lastPlain && last.steps > first.steps ? slopeOf("temporal-floor", firstPlain, lastPlain) : undefined;
  return [
    "### Steps per run with activity tasks (our server only)",
    "",
    "Graph entries with `\"local_steps\": false`: each step an activity task, as a run with `durability: \"sync\"` gets; by default a run's steps are local activities.",
    "",
    `| steps | e2e p50 ours, activity tasks (ms) | ours, default (local steps) | Temporal floor | tasks ÷ default | tasks ÷ Temporal floor | runs/s at ${concurrency} clients ours, activity tasks | ours, default (local steps) | Temporal floor | tasks ÷ default | tasks ÷ Temporal floor |`,
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...tasks.map(({ steps, bySystem: b }) => {
      const plain = plainRun(growth, steps)?.bySystem;
      const t = plain?.["temporal-floor"];
      return `| ${steps} | ${num(p50(b.ours))} | ${num(p50(plain?.ours))} | ${num(p50(t))} | ${ratio(p50(b.ours), p50(plain?.ours))} | ${ratio(p50(b.ours), p50(t))} | ${num(rate(b.ours))} | ${num(rate(plain?.ours))} | ${num(rate(t))} | ${ratio(rate(b.ours), rate(plain?.ours))} | ${ratio(rate(b.ours), rate(t))} |`;
    }),
    "",
    `Per-step cost with activity tasks (sequential p50, ${first.steps} → ${last.steps} steps): ours ${num(ours)} ms, against the Temporal floor's ${num(temporal)} ms per activity (${ratio(ours, temporal)}).`,
    "",
  ];
}

type StepsRow = BenchResults["growth"]["steps"][number];

/** The chain of `steps` steps measured with default settings on every system. */
function plainRun(growth: BenchResults["growth"], steps: number): StepsRow | undefined {
  return growth.steps.find((g) => g.steps === steps);
}

/** Sequential e2e p50 that each further step adds on `system`, from chain `a` to the longer chain `b`. */
function slopeOf(system: SystemName, a: StepsRow, b: StepsRow): number | undefined {
  const from = a.bySystem[system]?.sequential.e2e.p50;
  const to = b.bySystem[system]?.sequential.e2e.p50;
  return from === undefined || to === undefined ? undefined : (to - from) / (b.steps - a.steps);
}

/**
 * What one more step costs: the slope of sequential e2e p50 between the shortest and the longest
 * chain, ours against the Temporal floor's (one activity per step).
 */
function perStepCost(steps: BenchResults["growth"]["steps"]): string[] {
  const first = steps[0];
  const last = steps.at(-1);
  if (!first || !last || last.steps === first.steps) return [];
  const ours = slopeOf("ours", first, last);
  const temporal = slopeOf("temporal-floor", first, last);
  const graph = slopeOf("floor", first, last);
  const both = temporal === undefined || graph === undefined ? undefined : temporal + graph;
  return [
    `Per-step cost (sequential p50, ${first.steps} → ${last.steps} steps): ours ${num(ours)} ms, Temporal floor ${num(temporal)} ms per activity, ` +
      `floor ${num(graph)} ms per super-step in-process; ours ÷ Temporal floor ${ratio(ours, temporal)}, ours ÷ both floors ${ratio(ours, both)}.`,
  ];
}

/** CPU per run of the 1-node graph at 10 clients, by process and, in Node processes, by thread. */
function cpuSplitRows(results: BenchResults): string[] {
  const loaded = (s: SystemName) => results.workloads[0]?.bySystem[s]?.throughput.find((t) => t.concurrency === 10);
  const ours = loaded("ours");
  const floor = loaded("temporal-floor");
  if (!ours) return [];
  const row = (name: string, pick: (u: Measured<ThroughputResult>) => number | undefined) => {
    const perRun = (t?: Measured<ThroughputResult>) => (t && t.completed > 0 ? ((pick(t) ?? 0) * 1000) / t.completed : undefined);
    return `| ${name} | ${num(perRun(ours))} | ${num(perRun(floor))} | ${ratio(perRun(ours), perRun(floor))} |`;
  };
  const groups = [...new Set([...Object.keys(ours.usage.cpuSecondsByNodeThread ?? {}), ...Object.keys(floor?.usage.cpuSecondsByNodeThread ?? {})])];
  return [
    "Server CPU per run of the 1-node graph at 10 clients (ms). The Temporal floor's Node process also runs its client (ours: the bench's SDK clients, not counted).",
    "",
    "| where | ours | Temporal floor | ours ÷ Temporal floor |",
    "|---|---:|---:|---:|",
    row("all processes", (u) => u.usage.cpuSeconds),
    row("Temporal server", (u) => u.usage.cpuSecondsByName.temporal),
    row("Node process", (u) => u.usage.cpuSecondsByName.node),
    ...groups.map((g) => row(`· ${g}`, (u) => u.usage.cpuSecondsByNodeThread?.[g])),
    "",
  ];
}

function profileSection(results: BenchResults): string[] {
  const profile = results.profile;
  if ("error" in profile) return [`Profile failed: ${profile.error}`];
  const cpuRows = cpuSplitRows(results);
  const floor = profile.temporalFloor;
  return [
    ...cpuRows,
    `${profile.runs} sequential runs of the 1-node graph on our server: create → join p50 ${num(profile.e2e.p50)} ms, ` +
      `${num(profile.workflowTasksPerRun)} workflow tasks and ${num(profile.activitiesPerRun)} activities per run; ` +
      `the Temporal floor's runs on the same server: start → result p50 ${num(floor.e2e.p50)} ms, ` +
      `${num(floor.workflowTasksPerRun)} workflow tasks and ${num(floor.activitiesPerRun)} activities per run. ` +
      "Phases follow one another and add up to the run's time; Temporal's history gives the gaps between its events.",
    "",
    "| phase | ours median (ms) | ours mean (ms) | ours share | Temporal floor median (ms) | Temporal floor mean (ms) |",
    "|---|---:|---:|---:|---:|---:|",
    ...profile.phases.map((p) => {
      const f = floor.phases.find((q) => q.phase === p.phase);
      return `| ${p.phase} | ${num(p.medianMs)} | ${num(p.meanMs)} | ${(p.share * 100).toFixed(0)}% | ${num(f?.medianMs)} | ${num(f?.meanMs)} |`;
    }),
    ...floor.phases.filter((f) => !profile.phases.some((p) => p.phase === f.phase)).map((f) => `| ${f.phase} | – | – | – | ${num(f.medianMs)} | ${num(f.meanMs)} |`),
    "",
    `Probes: HTTP round trip to the API (GET /info) p50 ${num(profile.probes.httpRoundTrip.p50)} ms; ` +
      `bare Temporal workflow start RPC p50 ${num(profile.probes.temporalStart.p50)} ms; ` +
      `create response leg (workflow started → response received) p50 ${num(profile.createResponseLeg.p50)} ms.`,
  ];
}

/**
 * A goal of issue 15: ours ÷ the Temporal floor's, for one figure of the 1-node graph. `name`
 * labels the ratio, `figure` the figure itself (with its unit).
 */
type Goal = { name: string; figure: string; target: number; atMost: boolean; pick: (w: WorkloadResult) => number | undefined };

function goalsOf(concurrencies: number[]): Goal[] {
  const highest = concurrencies.at(-1)!;
  const create = `create p50 at ${highest} clients`;
  const sequential = "create → join p50, sequential";
  return [
    ...concurrencies.map((c): Goal => ({ name: `runs/s at ${c} clients`, figure: `runs/s at ${c} clients`, target: 0.8, atMost: false, pick: (w) => throughputAt(w, c)?.runsPerSecond })),
    { name: sequential, figure: `${sequential} (ms)`, target: 1.3, atMost: true, pick: (w) => w.sequential.e2e.p50 },
    { name: `${create} (the Temporal floor: its start)`, figure: `${create} (ms)`, target: 2, atMost: true, pick: (w) => throughputAt(w, highest)?.create.p50 },
  ];
}

const VARIANT_LABELS: Record<GoalVariant, string> = { ours: "ours (default: local steps)", "ours, activity tasks": "ours with activity tasks", "temporal-floor": "Temporal floor" };

function goalsSection(results: BenchResults): string[] {
  const goals: GoalsResult | { error: string } = results.goals ?? { error: "not measured in this run" };
  if ("error" in goals) return [`Not measured: ${goals.error}`];
  const { concurrencies, windowSeconds, sequential } = results.plan.goals;
  const ours = GOAL_VARIANTS.filter((v) => v !== "temporal-floor");
  const perRound = (goal: Goal, variant: GoalVariant) =>
    goals.rounds.flatMap((round) => {
      const mine = round[variant] && goal.pick(round[variant]!);
      const floor = round["temporal-floor"] && goal.pick(round["temporal-floor"]!);
      return mine !== undefined && floor !== undefined && Number.isFinite(mine) && Number.isFinite(floor) && floor > 0 ? [mine / floor] : [];
    });
  const cell = (goal: Goal, variant: GoalVariant) => {
    const ratios = perRound(goal, variant);
    if (ratios.length === 0) return "–";
    const mid = median(ratios);
    const met = goal.atMost ? mid <= goal.target : mid >= goal.target;
    return `${ratio(mid, 1)} (${ratio(Math.min(...ratios), 1)}–${ratio(Math.max(...ratios), 1)}) ${met ? "met" : "not met"}`;
  };
  const absolute = (pick: (w: WorkloadResult) => number | undefined, variant: GoalVariant) =>
    num(median(goals.rounds.flatMap((round) => (round[variant] ? [pick(round[variant]!)] : [])).filter((v): v is number => v !== undefined && Number.isFinite(v))));
  const figures: Array<[string, (w: WorkloadResult) => number | undefined]> = [
    ...goalsOf(concurrencies).map((g): [string, (w: WorkloadResult) => number | undefined] => [g.figure, g.pick]),
    [`server CPU per run at ${concurrencies[0]} clients (ms)`, (w) => cpuMsPerRun(w, concurrencies[0]!)],
  ];
  return [
    `${goals.rounds.length} round${goals.rounds.length === 1 ? "" : "s"}; in each, ours (default: local steps), ours with activity tasks (\`"local_steps": false\`) and the Temporal floor take turns (each round starts with the next one) at the 1-node graph: ` +
      `create → join with one client (up to ${sequential.maxRuns} runs or ${sequential.seconds} s), then closed loops at ${concurrencies.join(" and ")} clients for ${windowSeconds} s each. ` +
      "Each ratio is taken within a round, where both sides saw the same machine load; the table gives the median over rounds (lowest–highest).",
    "",
    `| goal: ours ÷ Temporal floor | target | ${ours.map((v) => VARIANT_LABELS[v]).join(" | ")} |`,
    `|---|---|${ours.map(() => "---:").join("|")}|`,
    ...goalsOf(concurrencies).map((g) => `| ${g.name} | ${g.atMost ? "≤" : "≥"} ${g.target}× | ${ours.map((v) => cell(g, v)).join(" | ")} |`),
    "",
    `| median over rounds | ${GOAL_VARIANTS.map((v) => VARIANT_LABELS[v]).join(" | ")} |`,
    `|---|${GOAL_VARIANTS.map(() => "---:").join("|")}|`,
    ...figures.map(([name, pick]) => `| ${name} | ${GOAL_VARIANTS.map((v) => absolute(pick, v)).join(" | ")} |`),
  ];
}

function recoverySection(results: BenchResults): string[] {
  const recovery = results.recovery;
  if ("error" in recovery) return [`Crash recovery failed: ${recovery.error}`];
  return [
    `\`serve\` + two \`worker\` processes; the worker running step b of a → b → c (${recovery.slowNodeMs} ms per node) is SIGKILLed. ` +
      `The run's steps are local activities: the dead worker's workflow task times out after the step heartbeat timeout, ${recovery.heartbeatTimeoutSeconds} s from its start, and the other worker runs the step again. The peer keeps runs in one process: it has no such recovery.`,
    "",
    "| trial | SIGKILL → step restarted on the other worker (ms) | whole run (ms) | result |",
    "|---:|---:|---:|---|",
    ...recovery.trials.map((t, i) => `| ${i + 1} | ${num(t.recoveryMs)} | ${num(t.runMs)} | ${t.status} |`),
  ];
}

export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  const rss = SYSTEMS.map((s) => `${s} ${num(mb(results.peakRssBytes[s] ?? Number.NaN))} MB`).join(", ");
  return [
    `# Benchmark: langgraph-temporal vs the in-memory LangGraph.js server`,
    "",
    `${results.startedAt}, ${results.plan.mode} run, ${results.durationSeconds.toFixed(0)} s. Machine: ${m.cpu}, ${m.memoryGb} GB, ${m.os}, Node ${m.node}, commit ${m.commit}; ` +
      `load average ${m.loadAverageAtStart} at start, ${m.loadAverageAtEnd} at the end (other work on the machine shows here: compare ratios, measured side by side).`,
    "",
    ...SYSTEMS.map((s) => `- **${s}**: ${results.systems[s]}`),
    "",
    `Each workload runs on every system in turn. Sequential: one client, create → join on a new thread, up to ${results.plan.sequential.maxRuns} runs or ${results.plan.sequential.seconds} s. ` +
      `Throughput: N clients in closed loops for ${results.plan.windowSeconds} s, each run on its own thread (threads made beforehand). ` +
      "CPU and memory are those of the server-side processes (ours: the dev process and its Temporal server), read from /proc.",
    "",
    "## Side by side",
    "",
    ...sideBySide(results),
    "",
    `Peak RSS over the whole run: ${rss}.`,
    "",
    ...peakRssUnderLoad(results),
    "",
    "## Goals of the 1-node graph, in paired rounds",
    "",
    ...goalsSection(results),
    "",
    "## Growth",
    "",
    ...growthTables(results),
    "",
    "## Where the time goes (our server, 1-node graph)",
    "",
    ...profileSection(results),
    "",
    "## Crash recovery (our server)",
    "",
    ...recoverySection(results),
    "",
    ...soakSection(results.soak),
  ].join("\n");
}
