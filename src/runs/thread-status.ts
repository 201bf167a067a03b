// Thread status as a pure function of its runs and latest checkpoint (spec §5.2; first match wins).
import type { ThreadStatus } from "../api-types.ts";
import type { ThreadRunFacts } from "../storage/types.ts";

export interface ThreadStatusFacts extends ThreadRunFacts {
  /** The latest checkpoint has nodes scheduled next (an interrupt is pending). */
  hasPendingNext: boolean;
}

export function threadStatus({ hasInflightRun, lastEndedStatus, hasPendingNext }: ThreadStatusFacts): ThreadStatus {
  if (hasInflightRun) return "busy";
  if (lastEndedStatus === "error" || lastEndedStatus === "timeout") return "error";
  if (lastEndedStatus === "success" && hasPendingNext) return "interrupted";
  return "idle";
}
