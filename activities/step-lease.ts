// A step activity's hold on its thread (StepLeaseStore): taken before the step looks for work
// an earlier attempt committed, kept while its graph runs, given back when the activity ends.
// The lease lasts half the step heartbeat timeout (the holder renews it every quarter of that):
// a worker that dies holding it has lost it by the time Temporal takes its step for dead, or
// soon after, so the attempt that takes over waits at most that long after the crash.
import { setTimeout as sleep } from "node:timers/promises";
import { randomUUID } from "node:crypto";
import type { StepLeaseStore } from "../src/storage/step-leases-repository.ts";

/** How often a waiting attempt asks for the lease again. */
const RETRY_EVERY_MS = 100;

export interface StepLease {
  /** Waits until this attempt holds the thread's lease (at once, unless another attempt runs). */
  take(signal: AbortSignal): Promise<void>;
  /** Aborts when another attempt took the lease: this one is no longer the thread's. */
  lost: AbortSignal;
  release(): Promise<void>;
}

export function stepLease(leases: StepLeaseStore, threadId: string, heartbeatTimeoutMs: number, onWait: () => void): StepLease {
  const ttlMs = heartbeatTimeoutMs / 2;
  const holder = randomUUID();
  const lost = new AbortController();
  let renewals: NodeJS.Timeout | undefined;
  let held = false;
  return {
    lost: lost.signal,
    async take(signal) {
      if (held) return;
      for (let waited = false; !(await leases.claim(threadId, holder, ttlMs)); waited = true) {
        if (!waited) onWait();
        await sleep(RETRY_EVERY_MS, undefined, { signal });
      }
      held = true;
      // Renewed well within its time; a renewal the database refuses for a moment is tried again.
      renewals = setInterval(() => {
        leases.renew(threadId, holder, ttlMs).then(
          (kept) => kept || lost.abort(new Error("another attempt took the step over")),
          () => {},
        );
      }, ttlMs / 4);
    },
    async release() {
      clearInterval(renewals);
      if (held) await leases.release(threadId, holder).catch(() => {});
    },
  };
}
