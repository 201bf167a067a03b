// Reads runs' event logs for SSE clients (spec §5.9.4-§5.9.6). Every reader follows the log in
// the database on its own, so any number of clients get every event (fan-out). Readers wake at
// once for appends made in this process and poll for appends made by workers elsewhere.
import { isTerminal, type StoredRun } from "../api-types.ts";
import type { RunEvent } from "../storage/run-events-repository.ts";
import type { Storage } from "../storage/types.ts";
import { deliversEvent } from "./stream-modes.ts";

/** How often a reader looks for appends made by another process. */
const POLL_MS = 50;
/** Events read per query. */
const BATCH = 500;
/** Runs of a thread considered by a thread stream. */
const THREAD_RUNS = 1000;

export interface FollowRunOptions {
  /** Deliver events after this sequence number; absent: only events appended after the join. */
  after?: number;
  /** API stream modes to deliver (`metadata` and `error` always pass); absent: all. */
  modes?: readonly string[];
  signal: AbortSignal;
}

export type ThreadStreamMode = "run_modes" | "lifecycle";

/** Where a thread stream resumes: `oldest` retained event, `now`, or after an event id. */
export type ThreadPosition = "oldest" | "now" | { runId: string; after: number | "done" };

export interface ThreadStreamEvent {
  /** `<run id>:<seq>` for run events, `<run id>:done` for `run_done`: unique per thread. */
  id: string;
  event: string;
  data: string;
}

export class RunStreams {
  constructor(
    private readonly storage: Storage,
    private readonly pollMs = POLL_MS,
  ) {}

  /** One run's events, live until the run is terminal (spec §5.9.5). */
  async *followRun(runId: string, { after, modes, signal }: FollowRunOptions): AsyncGenerator<RunEvent> {
    const wanted = modes && new Set(modes);
    // Without `Last-Event-ID`: only what is written after the join.
    let cursor = after ?? (await this.storage.runEvents.lastSeq(runId));
    let ended = false;
    while (!signal.aborted) {
      const wake = this.wakeUp(signal, runId);
      try {
        const events = await this.storage.runEvents.after(runId, cursor, BATCH);
        for (const event of events) {
          cursor = event.seq;
          if (!wanted || deliversEvent(wanted, event.event)) yield event;
        }
        if (events.length === BATCH) continue;
        if (ended) return;
        if (events.length > 0) continue;
        const run = await this.storage.runs.get(runId);
        if (!run || isTerminal(run.status)) {
          // The run's last events (its final `error` included) were written before it became
          // terminal, so one more read finds everything. A deleted run (rollback) ends the same way.
          ended = true;
          continue;
        }
        await wake.promise;
      } finally {
        wake.cancel();
      }
    }
  }

  /** The runs of a thread one after another, with `run_done` after each (spec §5.9.6, provisional). */
  async *followThread(threadId: string, mode: ThreadStreamMode, from: ThreadPosition, signal: AbortSignal): AsyncGenerator<ThreadStreamEvent> {
    const finished = new Set<string>();
    // Where each run known now starts; runs that appear later are read from their first event.
    const startAfter = new Map<string, number | undefined>();
    const known = await this.threadRuns(threadId);
    if (from === "now") {
      for (const run of known) {
        if (isTerminal(run.status)) finished.add(run.run_id);
        else startAfter.set(run.run_id, undefined);
      }
    } else if (from !== "oldest") {
      for (const run of known) {
        if (run.run_id === from.runId) break;
        finished.add(run.run_id);
      }
      if (from.after === "done") finished.add(from.runId);
      else startAfter.set(from.runId, from.after);
    }
    const modes = mode === "lifecycle" ? [] : undefined;
    while (!signal.aborted) {
      const run = (await this.threadRuns(threadId)).find((candidate) => !finished.has(candidate.run_id));
      if (!run) {
        const wake = this.wakeUp(signal);
        await wake.promise;
        wake.cancel();
        continue;
      }
      const after = startAfter.has(run.run_id) ? startAfter.get(run.run_id) : -1;
      for await (const event of this.followRun(run.run_id, { after, modes, signal })) {
        yield { id: `${run.run_id}:${event.seq}`, event: event.event, data: event.data };
      }
      if (signal.aborted) return;
      finished.add(run.run_id);
      const ended = await this.storage.runs.get(run.run_id);
      if (ended) yield { id: `${run.run_id}:done`, event: "run_done", data: JSON.stringify({ run_id: run.run_id, status: ended.status }) };
    }
  }

  /** Oldest first: the order in which a thread's runs execute. */
  private async threadRuns(threadId: string): Promise<StoredRun[]> {
    return (await this.storage.runs.listForThread(threadId, { limit: THREAD_RUNS, offset: 0 })).reverse();
  }

  /** Resolves after the poll interval, on abort, or on an append to `runId`'s log in this process. */
  private wakeUp(signal: AbortSignal, runId?: string): { promise: Promise<void>; cancel(): void } {
    let cancel = () => {};
    const promise = new Promise<void>((resolve) => {
      const wake = () => resolve();
      const timer = setTimeout(wake, this.pollMs);
      const unwatch = runId === undefined ? () => {} : this.storage.runEvents.watch(runId, wake);
      signal.addEventListener("abort", wake);
      cancel = () => {
        clearTimeout(timer);
        unwatch();
        signal.removeEventListener("abort", wake);
        wake();
      };
    });
    return { promise, cancel };
  }
}
