// Thread TTLs (spec §4.7, `checkpointer.ttl`): a thread not updated for its TTL is deleted, or
// pruned to its latest checkpoint (`keep_latest`), with its runs and their events.
import type { ThreadTtlConfig } from "../graphs/langgraph-json.ts";
import type { Storage, ThreadTtl } from "../storage/types.ts";
import type { ThreadsService } from "../threads/threads-service.ts";
import type { TtlSweeper } from "./ttl-sweeper.ts";

/** Expired threads handled per database round; rounds go on while they make progress. */
const BATCH = 500;

export function threadTtlSweeper(storage: Storage, threads: ThreadsService, config: ThreadTtlConfig): TtlSweeper {
  const defaultTtl: ThreadTtl | null = config.defaultTtlMinutes === null ? null : { ttl: config.defaultTtlMinutes, strategy: config.strategy };
  return {
    name: "threads",
    async sweep(now, progress) {
      let swept = 0;
      for (;;) {
        const expired = await storage.threads.expired(now, defaultTtl, BATCH);
        let sweptThisRound = 0;
        for (const thread of expired) {
          // A busy thread is skipped: its TTL applies after its run (see ThreadsService.expire).
          if (await threads.expire(thread)) sweptThisRound++;
          progress();
        }
        swept += sweptThisRound;
        if (expired.length < BATCH || sweptThisRound === 0) return swept;
      }
    },
  };
}
