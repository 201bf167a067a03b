// Which step attempt may run a thread's graph: one at a time. Temporal runs one attempt of a step,
// except after it took an attempt for dead that still runs: a worker whose workflow task could
// not be extended (its history service was down) goes on with its local step while another
// worker replays the run and starts the same step. The later attempt waits for the lease, then
// finds the earlier one's checkpoint committed instead of running the node again.
import type { Kysely } from "kysely";

export interface StepLeasesTable {
  thread_id: string;
  /** The attempt holding the lease: an id each step activity draws. */
  holder: string;
  /** Epoch ms (the holder's clock) after which another attempt may take the lease. */
  expires_at: number;
}

export interface StepLeaseStore {
  /** Takes the thread's lease for `holder` unless another holder's has not expired; whether it did. */
  claim(threadId: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Extends the holder's lease; false when it has lost it (another attempt took it after it expired). */
  renew(threadId: string, holder: string, ttlMs: number): Promise<boolean>;
  release(threadId: string, holder: string): Promise<void>;
}

type Db = Kysely<{ step_leases: StepLeasesTable }>;

export class StepLeasesRepository implements StepLeaseStore {
  private constructor(private readonly db: Db) {}

  /** Creates the table when missing (Kysely's schema builder: the same code on both databases). */
  static async open(db: Kysely<object>): Promise<StepLeasesRepository> {
    const leases = db.withTables<{ step_leases: StepLeasesTable }>();
    await leases.schema
      .createTable("step_leases")
      .ifNotExists()
      .addColumn("thread_id", "text", (c) => c.primaryKey())
      .addColumn("holder", "text", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .execute();
    return new StepLeasesRepository(leases);
  }

  async claim(threadId: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const lease = { holder, expires_at: now + ttlMs };
    const taken = await this.db
      .insertInto("step_leases")
      .values({ thread_id: threadId, ...lease })
      .onConflict((conflict) =>
        conflict
          .column("thread_id")
          .doUpdateSet(lease)
          .where((eb) => eb.or([eb("step_leases.expires_at", "<", now), eb("step_leases.holder", "=", holder)])),
      )
      .returning("holder")
      .executeTakeFirst();
    return taken !== undefined;
  }

  async renew(threadId: string, holder: string, ttlMs: number): Promise<boolean> {
    const result = await this.db
      .updateTable("step_leases")
      .set({ expires_at: Date.now() + ttlMs })
      .where("thread_id", "=", threadId)
      .where("holder", "=", holder)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async release(threadId: string, holder: string): Promise<void> {
    await this.db.deleteFrom("step_leases").where("thread_id", "=", threadId).where("holder", "=", holder).execute();
  }
}
