// A run's deadline (max_run_seconds), as its steps keep it (workflow revision 5): the step stops
// its graph there, as a cancel would, and tells the workflow that the run timed out. The
// workflow checks the deadline between steps, so a retry or a step scheduled late finds it too.
import { linkedAbort } from "../src/linked-abort.ts";

export interface StepDeadline {
  /** Aborts when the step is cancelled or its deadline passes, whichever comes first. */
  signal: AbortSignal;
  /** The deadline has passed (a cancel does not count). */
  passed(): boolean;
  clear(): void;
}

/** The longest delay setTimeout takes; a longer one fires at once. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Watches `deadline` (epoch ms) beside the step's cancel signal, until `clear`. */
export function watchDeadline(deadline: number | undefined, cancelled: AbortSignal): StepDeadline {
  if (deadline === undefined) return { signal: cancelled, passed: () => false, clear: () => {} };
  // Not AbortSignal.any, which kept every step that ended on time in memory (+17 MB a minute
  // under the bench's load).
  const { controller, release } = linkedAbort([cancelled]);
  let reached = false;
  // A deadline beyond the longest timer (max_run_seconds over 24 days) is left to the checks
  // between steps.
  const remaining = Math.max(0, deadline - Date.now());
  const timer = remaining <= LONGEST_TIMER_MS ? setTimeout(() => {
    reached = true;
    controller.abort(new Error("the run's deadline passed"));
  }, remaining) : undefined;
  return {
    signal: controller.signal,
    passed: () => reached || Date.now() >= deadline,
    clear: () => {
      clearTimeout(timer);
      release();
    },
  };
}
