// What a fault test reports to the suite's summary table (printed by summary-global-setup.ts).
import fs from "node:fs";
import { inject } from "vitest";

export interface FaultRecord {
  scenario: string;
  /** Processes killed or signalled by the test. */
  faults: number;
  runsStarted: number;
  /** Runs that ended `success`. */
  runsFinished: number;
  /** Runs that did not end `success` or were missing from their thread. */
  runsLost: number;
  /** Node executions that began again after the node had completed and been committed. */
  duplicateSteps: number;
  /** Node executions cut short by a fault and run again (at-least-once for the step in flight). */
  retriedSteps: number;
  /** Per trial: SIGKILL of the worker running a step → that step starting on another worker (ms). */
  recoveryMs?: number[];
  /** Steps of healthy runs attempted more than once although no fault hit them. */
  falseRetries?: number;
}

/** Runs lost are derived: every run started that did not finish. */
export function recordFaults(record: Omit<FaultRecord, "runsLost">): void {
  const row: FaultRecord = { ...record, runsLost: record.runsStarted - record.runsFinished };
  fs.appendFileSync(inject("faultLedger"), `${JSON.stringify(row)}\n`);
}
