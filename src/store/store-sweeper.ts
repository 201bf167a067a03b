// Deletes expired store items (issue 14, `store.ttl.sweep_interval_minutes`) as one sweeper of
// the TTL sweep Schedule. Expiry itself needs no trigger: readers never see an item past its
// `expires_at`; the sweep only frees the space.
import type { ItemStore } from "../storage/item-store.ts";
import type { TtlSweeper } from "../ttl/ttl-sweeper.ts";

export function storeTtlSweeper(store: ItemStore): TtlSweeper {
  return { name: "store", sweep: (now) => store.sweepExpired(now) };
}
