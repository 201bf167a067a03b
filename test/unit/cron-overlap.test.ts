// A cron's Schedule overlap policy follows its multitask strategy (src/temporal/cron-schedules.ts).
import { ScheduleOverlapPolicy } from "@temporalio/client";
import { expect, it } from "vitest";
import { overlapPolicyFor } from "../../src/temporal/cron-schedules.ts";

it.each([
  [undefined, ScheduleOverlapPolicy.SKIP],
  ["reject", ScheduleOverlapPolicy.SKIP],
  ["enqueue", ScheduleOverlapPolicy.BUFFER_ALL],
  ["interrupt", ScheduleOverlapPolicy.ALLOW_ALL],
  ["rollback", ScheduleOverlapPolicy.ALLOW_ALL],
])("a thread cron with multitask strategy %s overlaps as %s", (strategy, policy) => {
  expect(overlapPolicyFor({ thread_id: "t1", payload: strategy ? { multitask_strategy: strategy } : {} })).toBe(policy);
});

it("lets every fire of a stateless cron start, each on its own thread", () => {
  expect(overlapPolicyFor({ thread_id: null, payload: { multitask_strategy: "reject" } })).toBe(ScheduleOverlapPolicy.ALLOW_ALL);
});
