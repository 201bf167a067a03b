// How much load the bench applies: the default run (under 10 minutes) and the CI smoke run
// (`--quick`, about a minute, every system and section exercised with tiny counts).
import type { Workload } from "./load.ts";

export interface Plan {
  mode: "default" | "quick";
  warmupRuns: number;
  /** Sequential create → join: stop at whichever limit comes first. */
  sequential: { maxRuns: number; seconds: number };
  concurrencies: number[];
  /** Length of each closed-loop throughput window. */
  windowSeconds: number;
  growth: {
    sequential: { maxRuns: number; seconds: number };
    windowSeconds: number;
    concurrency: number;
    /** Graph ids of chains of 1, 5 and 20 super-steps. */
    stepGraphs: Array<{ steps: number; graphId: string }>;
    /** Conversation sizes, in 1 KB messages. */
    stateKb: number[];
    /** Threads stored before the "many threads" measurement. */
    storedThreads: number;
  };
  /** Measured with the server's step heartbeat timeout and retry delay (defaults, or the environment's). */
  recovery: {
    trials: number;
    slowNodeMs: number;
  };
  profileRuns: number;
  /** The 1-node goals, in rounds of short measurements that ours and the Temporal floor take in turn. */
  goals: {
    rounds: number;
    concurrencies: number[];
    windowSeconds: number;
    sequential: { maxRuns: number; seconds: number };
  };
}

const STEP_GRAPHS = [
  { steps: 1, graphId: "steps1" },
  { steps: 5, graphId: "steps5" },
  { steps: 20, graphId: "steps20" },
];

export const DEFAULT_PLAN: Plan = {
  mode: "default",
  warmupRuns: 3,
  sequential: { maxRuns: 100, seconds: 8 },
  concurrencies: [1, 10, 50],
  windowSeconds: 5,
  growth: {
    sequential: { maxRuns: 30, seconds: 4 },
    windowSeconds: 4,
    concurrency: 10,
    stepGraphs: STEP_GRAPHS,
    stateKb: [1, 10, 100, 1000],
    storedThreads: 10_000,
  },
  recovery: { trials: 2, slowNodeMs: 2000 },
  profileRuns: 30,
  goals: { rounds: 5, concurrencies: [10, 50], windowSeconds: 3, sequential: { maxRuns: 40, seconds: 3 } },
};

export const QUICK_PLAN: Plan = {
  mode: "quick",
  warmupRuns: 1,
  sequential: { maxRuns: 8, seconds: 1.5 },
  // Fewer clients than the default run: a window's runs in flight must drain within seconds.
  concurrencies: [1, 10],
  windowSeconds: 1,
  growth: {
    sequential: { maxRuns: 2, seconds: 1 },
    windowSeconds: 1,
    concurrency: 5,
    stepGraphs: STEP_GRAPHS.filter((g) => g.steps <= 5),
    stateKb: [1, 100],
    storedThreads: 200,
  },
  recovery: { trials: 1, slowNodeMs: 500 },
  profileRuns: 3,
  goals: { rounds: 1, concurrencies: [10], windowSeconds: 1, sequential: { maxRuns: 3, seconds: 1 } },
};

/** The three workloads measured on every system. */
export const WORKLOADS: Array<{ label: string; workload: Workload }> = [
  { label: "1-node graph", workload: { graphId: "one_node", input: { messages: [{ role: "user", content: "hi" }] } } },
  { label: "5-step graph", workload: { graphId: "steps5", input: {} } },
  {
    label: "weather agent",
    workload: { graphId: "agent", input: { messages: [{ role: "user", content: "what's the weather in sf" }] } },
  },
];

/**
 * The 1-node graph again, on a graph entry with `"local_steps": false`: its steps are activity
 * tasks, as a run with `durability: "sync"` gets them, where by default they are local activities.
 * Measured on our server only, against the other systems' figures for the 1-node graph.
 */
export const ACTIVITY_TASKS_WORKLOAD = {
  label: "1-node graph, activity tasks",
  workload: { ...WORKLOADS[0]!.workload, graphId: "one_node_tasks" },
  othersFrom: WORKLOADS[0]!.label,
};

/** The bench's langgraph.json names each chain again with `"local_steps": false`, under this suffix. */
export const activityTasksGraph = (graphId: string) => `${graphId}_tasks`;

/** The 1-node graph with a conversation of `kb` messages of 1 KB each. */
export function stateWorkload(kb: number): Workload {
  const text = "x".repeat(1024 - 40);
  const messages = Array.from({ length: kb }, (_, i) => ({ role: i % 2 === 0 ? "user" : "ai", content: `${String(i).padStart(8, "0")} ${text}` }));
  return { graphId: "one_node", input: { messages } };
}
