// The performance goals of the 1-node graph, measured in paired rounds: our server (default local
// steps, then activity tasks) and the Temporal floor take turns at short measurements, round after
// round, each round starting with a different one. The machine's load drifts over a run by more
// than the differences in question; a ratio taken within one round sees the same load on both
// sides, and the spread over rounds shows how far a single figure can be trusted.
import { ACTIVITY_TASKS_WORKLOAD, WORKLOADS } from "./plan.ts";
import type { Bench } from "./measure.ts";
import type { WorkloadResult } from "./results.ts";
import type { System } from "./systems/system.ts";

export const GOAL_VARIANTS = ["ours", "ours, activity tasks", "temporal-floor"] as const;
export type GoalVariant = (typeof GOAL_VARIANTS)[number];

export interface GoalsResult {
  /** One entry per round: every variant's sequential latency and closed-loop windows. */
  rounds: Array<Partial<Record<GoalVariant, WorkloadResult>>>;
}

const log = (line: string) => console.log(`[bench] ${line}`);

export async function measureGoals(bench: Bench): Promise<GoalsResult> {
  const ours = bench.systems.find((s) => s.name === "ours");
  const temporalFloor = bench.systems.find((s) => s.name === "temporal-floor");
  if (!ours || !temporalFloor) throw new Error("the goals need our server and the Temporal floor (--systems)");
  const oneNode = WORKLOADS[0]!.workload;
  const variants: Array<[GoalVariant, System, typeof oneNode]> = [
    ["ours", ours, oneNode],
    ["ours, activity tasks", ours, ACTIVITY_TASKS_WORKLOAD.workload],
    ["temporal-floor", temporalFloor, oneNode],
  ];
  const { rounds, concurrencies, windowSeconds, sequential } = bench.plan.goals;
  const result: GoalsResult = { rounds: [] };
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    const measured: GoalsResult["rounds"][number] = {};
    // Rotated, so that no variant always follows the same one.
    const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
    for (const [variant, system, workload] of order) {
      measured[variant] = await bench.workload(system, workload, concurrencies, windowSeconds, sequential);
    }
    result.rounds.push(measured);
    log(`goals, round ${round + 1} of ${rounds} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  return result;
}
