// The store's TTL sweep trigger (issue 14): a sweep when the worker starts, then one per interval;
// a failed sweep is reported and the next one still runs.
import { afterEach, expect, it, vi } from "vitest";
import type { ItemStore } from "../../src/storage/item-store.ts";
import { startStoreSweeper } from "../../src/store/store-sweeper.ts";

afterEach(() => vi.useRealTimers());

it("sweeps at start and every interval, survives a failed sweep, and stops", async () => {
  vi.useFakeTimers();
  const sweepExpired = vi.fn<() => Promise<number>>().mockResolvedValueOnce(3).mockRejectedValueOnce(new Error("database down")).mockResolvedValue(0);
  const warnings: string[] = [];
  const sweeper = startStoreSweeper({ sweepExpired } as unknown as ItemStore, 5, (message) => warnings.push(message));
  expect(sweepExpired).toHaveBeenCalledTimes(1);
  await vi.advanceTimersByTimeAsync(5 * 60_000);
  expect(sweepExpired).toHaveBeenCalledTimes(2);
  expect(warnings).toEqual(["store TTL sweep failed (next in 5 min): database down"]);
  await vi.advanceTimersByTimeAsync(5 * 60_000);
  expect(sweepExpired).toHaveBeenCalledTimes(3);
  await sweeper.stop();
  await vi.advanceTimersByTimeAsync(60 * 60_000);
  expect(sweepExpired).toHaveBeenCalledTimes(3);
});
