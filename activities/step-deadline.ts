// A run's deadline (max_run_seconds), as its steps keep it (workflow revision 5): the step stops
// its graph there, as a cancel would, and tells the workflow that the run timed out. The
// workflow checks the deadline between steps, so a retry or a step scheduled late finds it too.

export interface StepDeadline {
  /** Aborts when the deadline passes; undefined when the step has no deadline. */
  signal: AbortSignal | undefined;
  passed(): boolean;
  clear(): void;
}

/** Watches `deadline` (epoch ms) until `clear`. */
export function watchDeadline(deadline: number | undefined): StepDeadline {
  if (deadline === undefined) return { signal: undefined, passed: () => false, clear: () => {} };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error("the run's deadline passed")), Math.max(0, deadline - Date.now()));
  return {
    signal: controller.signal,
    passed: () => controller.signal.aborted || Date.now() >= deadline,
    clear: () => clearTimeout(timer),
  };
}
