// A run's deadline (max_run_seconds), as its steps keep it (workflow revision 5): the step stops
// its graph there, as a cancel would, and tells the workflow that the run timed out. The
// workflow checks the deadline between steps, so a retry or a step scheduled late finds it too.

export interface StepDeadline {
  /** Aborts when the deadline passes; undefined when the step has no deadline. */
  signal: AbortSignal | undefined;
  passed(): boolean;
  clear(): void;
}

/** The longest delay setTimeout takes; a longer one fires at once. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Watches `deadline` (epoch ms) until `clear`. */
export function watchDeadline(deadline: number | undefined): StepDeadline {
  if (deadline === undefined) return { signal: undefined, passed: () => false, clear: () => {} };
  const controller = new AbortController();
  // A deadline beyond the longest timer (max_run_seconds over 24 days) is left to the checks
  // between steps: no step outlives its own timeout for that long.
  const remaining = Math.max(0, deadline - Date.now());
  const timer = remaining <= LONGEST_TIMER_MS ? setTimeout(() => controller.abort(new Error("the run's deadline passed")), remaining) : undefined;
  return {
    signal: controller.signal,
    passed: () => controller.signal.aborted || Date.now() >= deadline,
    clear: () => clearTimeout(timer),
  };
}
