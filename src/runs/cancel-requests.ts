// Cancels this process has signalled to thread workflows, told at once to the local steps that
// this process runs. A local step's workflow task stays with its worker while the step runs, and
// Temporal hands the workflow a signal only when that task completes, at its next extension (80%
// of its timeout): told here, the step stops its graph and returns, so that the workflow takes the
// signal at once. A cancel signalled by another process reaches a local step with that extension.
import { EventEmitter } from "node:events";

export class CancelRequests {
  private readonly signalled = new EventEmitter().setMaxListeners(0);

  /** A cancel of `runId` (null: of every run of the thread) has reached the thread's workflow. */
  signalledFor(threadId: string, runId: string | null): void {
    this.signalled.emit(threadId, runId);
  }

  /** Calls `onCancel` once a cancel of the run is signalled here; returns the function that stops watching. */
  watch(threadId: string, runId: string, onCancel: () => void): () => void {
    const listener = (cancelled: string | null) => {
      if (cancelled === null || cancelled === runId) onCancel();
    };
    this.signalled.on(threadId, listener);
    return () => this.signalled.off(threadId, listener);
  }
}
