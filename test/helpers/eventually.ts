// Polls a check until it returns a value (not undefined): for effects that arrive on their own
// schedule (a cron's fire, a TTL sweep).
import { setTimeout as sleep } from "node:timers/promises";

/** The first value `check` returns, or an error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(250);
  }
}
