// The Temporal floor's workflow: one activity per step, nothing else. What Temporal itself
// costs for a run of N steps, with no HTTP, LangGraph, run records or event log.
import { proxyActivities } from "@temporalio/workflow";

const { step } = proxyActivities<{ step(index: number): Promise<number> }>({ startToCloseTimeout: "1 minute" });

export async function floorWorkflow(steps: number): Promise<number> {
  for (let i = 0; i < steps; i++) await step(i);
  return steps;
}
