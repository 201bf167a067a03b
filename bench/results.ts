// The shape of a bench run's results, as written to results.json and read by the report.
import type { SequentialResult, ThroughputResult } from "./load.ts";
import type { Plan } from "./plan.ts";
import type { GoalsResult } from "./goals.ts";
import type { Usage } from "./proc-stats.ts";
import type { ProfileResult } from "./profile.ts";
import type { RecoveryResult } from "./recovery.ts";
import type { SoakResult } from "./soak.ts";
import type { SystemName } from "./systems/system.ts";

export type Measured<T> = T & { usage: Usage };

export interface WorkloadResult {
  sequential: Measured<SequentialResult>;
  throughput: Array<Measured<ThroughputResult>>;
}

export interface BenchResults {
  startedAt: string;
  durationSeconds: number;
  machine: Record<string, string>;
  plan: Plan;
  systems: Record<SystemName, string>;
  /** `othersFrom`: measured on our server only; the other systems' figures are those of that workload. */
  workloads: Array<{ label: string; graphId: string; bySystem: Partial<Record<SystemName, WorkloadResult>>; othersFrom?: string }>;
  growth: {
    steps: Array<{ steps: number; bySystem: Partial<Record<SystemName, WorkloadResult>> }>;
    /** The same chains (over one step) run with `durability: "exit"`, on the systems that run LangGraph. */
    exitSteps: Array<{ steps: number; bySystem: Partial<Record<SystemName, WorkloadResult>> }>;
    /** The same chains on graph entries with `"local_steps": false` (activity tasks), on our server only. */
    activityTasks: Array<{ steps: number; bySystem: Partial<Record<SystemName, WorkloadResult>> }>;
    state: Array<{ kb: number; bySystem: Partial<Record<SystemName, { sequential: Measured<SequentialResult> }>> }>;
    threads: Array<{ storedThreads: Partial<Record<SystemName, number>>; bySystem: Partial<Record<SystemName, WorkloadResult>> }>;
  };
  /** The 1-node goals in paired rounds (ours, ours with activity tasks, the Temporal floor). */
  goals: GoalsResult | { error: string };
  /** Largest resident memory of each system's processes over the whole run. */
  peakRssBytes: Partial<Record<SystemName, number>>;
  profile: ProfileResult | { error: string };
  recovery: RecoveryResult | { error: string };
  /** Only when asked for (--soak). */
  soak?: SoakResult | { error: string };
}
