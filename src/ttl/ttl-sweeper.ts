// What the TTL sweep runs (issue 14). Each kind of expiring record is one sweeper: threads now;
// the store's items join the same list (no workflow change: the sweep activity runs the list).

export interface TtlSweeper {
  /** Names the sweeper's count in the sweep's result (visible in the Web UI). */
  name: string;
  /** Removes or prunes what expired by `now`; calls `progress` between records (the activity heartbeats). */
  sweep(now: Date, progress: () => void): Promise<number>;
}
