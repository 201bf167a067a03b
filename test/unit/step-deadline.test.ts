// A step's watch of its run's deadline beside its cancel (activities/step-deadline.ts).
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { watchDeadline } from "../../activities/step-deadline.ts";

const neverCancelled = () => new AbortController().signal;

describe("watchDeadline", () => {
  it("aborts its signal when the deadline passes, and not before", async () => {
    const deadline = watchDeadline(Date.now() + 100, neverCancelled());
    expect([deadline.signal.aborted, deadline.passed()]).toEqual([false, false]);
    await sleep(200);
    expect([deadline.signal.aborted, deadline.passed()]).toEqual([true, true]);
  });

  it("has passed already for a deadline in the past", async () => {
    const deadline = watchDeadline(Date.now() - 1, neverCancelled());
    expect(deadline.passed()).toBe(true);
    await sleep(10);
    expect(deadline.signal.aborted).toBe(true);
  });

  it("aborts its signal on the step's cancel, which is not the deadline passing", () => {
    const cancel = new AbortController();
    const deadline = watchDeadline(Date.now() + 60_000, cancel.signal);
    cancel.abort(new Error("cancelled"));
    expect([deadline.signal.aborted, deadline.passed(), (deadline.signal.reason as Error).message]).toEqual([true, false, "cancelled"]);
    deadline.clear();
  });

  it("never aborts once cleared, by the deadline or by a cancel", async () => {
    const cancel = new AbortController();
    const deadline = watchDeadline(Date.now() + 50, cancel.signal);
    deadline.clear();
    cancel.abort();
    await sleep(100);
    expect(deadline.signal.aborted).toBe(false);
  });

  it("does not abort at once for a deadline beyond the longest timer (max_run_seconds over 24 days)", async () => {
    const deadline = watchDeadline(Date.now() + 30 * 24 * 3600 * 1000, neverCancelled());
    await sleep(20);
    expect([deadline.signal.aborted, deadline.passed()]).toEqual([false, false]);
    deadline.clear();
  });

  it("is the step's cancel signal alone without a deadline (a step of revision 4 or older)", () => {
    const cancelled = neverCancelled();
    const deadline = watchDeadline(undefined, cancelled);
    expect([deadline.signal, deadline.passed()]).toEqual([cancelled, false]);
  });
});
