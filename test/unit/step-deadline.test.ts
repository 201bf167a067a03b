// A step's watch of its run's deadline (activities/step-deadline.ts).
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { watchDeadline } from "../../activities/step-deadline.ts";

describe("watchDeadline", () => {
  it("aborts its signal when the deadline passes, and not before", async () => {
    const deadline = watchDeadline(Date.now() + 100);
    expect([deadline.signal?.aborted, deadline.passed()]).toEqual([false, false]);
    await sleep(200);
    expect([deadline.signal?.aborted, deadline.passed()]).toEqual([true, true]);
  });

  it("has passed already for a deadline in the past", async () => {
    const deadline = watchDeadline(Date.now() - 1);
    expect(deadline.passed()).toBe(true);
    await sleep(10);
    expect(deadline.signal?.aborted).toBe(true);
  });

  it("never aborts once cleared", async () => {
    const deadline = watchDeadline(Date.now() + 50);
    deadline.clear();
    await sleep(100);
    expect(deadline.signal?.aborted).toBe(false);
  });

  it("does not abort at once for a deadline beyond the longest timer (max_run_seconds over 24 days)", async () => {
    const deadline = watchDeadline(Date.now() + 30 * 24 * 3600 * 1000);
    await sleep(20);
    expect([deadline.signal?.aborted, deadline.passed()]).toEqual([false, false]);
    deadline.clear();
  });

  it("watches nothing without a deadline (a step of revision 4 or older)", () => {
    const deadline = watchDeadline(undefined);
    expect([deadline.signal, deadline.passed()]).toEqual([undefined, false]);
  });
});
