// Deletes expired store items (issue 14, `store.ttl.sweep_interval_minutes`). Expiry itself needs
// no trigger: readers never see an item past its `expires_at`. The sweep only frees the space,
// so its trigger is the simplest durable one: every worker process sweeps when it starts (which
// catches up whatever was missed while none ran) and then on the interval. Sweeps are idempotent,
// so several workers sweeping side by side do no harm. A scheduler (the threads' TTL Schedule)
// can call `ItemStore.sweepExpired` instead and this timer goes away.
import type { ItemStore } from "../storage/item-store.ts";

export interface StoreSweeper {
  stop(): Promise<void>;
}

export function startStoreSweeper(store: ItemStore, intervalMinutes: number, warn: (message: string) => void): StoreSweeper {
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = store.sweepExpired().catch((err: Error) => warn(`store TTL sweep failed (next in ${intervalMinutes} min): ${err.message}`));
  };
  sweep();
  const timer = setInterval(sweep, intervalMinutes * 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
