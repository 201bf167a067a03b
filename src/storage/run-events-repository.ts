// The durable event log of runs (spec §5.9): every SSE event a run produced, numbered per run
// from 0, kept with the run. Step activities append to it in worker processes; API processes
// read it, so a client that joins late or reconnects replays the very bytes first sent.
import { EventEmitter } from "node:events";
import { type Kysely, sql } from "kysely";

export interface RunEventsTable {
  run_id: string;
  /** Position in the run's stream: the SSE `id`, from 0, never reused. */
  seq: number;
  thread_id: string;
  event: string;
  /** Compact one-line JSON, sent as it is stored. */
  data: string;
  /** ISO time of the append, for retention and latency measurements. */
  created_at: string;
}

export interface RunEvent {
  seq: number;
  event: string;
  data: string;
  created_at: string;
}

export interface RunEventStore {
  /** Appends at the run's next sequence number and returns it. */
  append(runId: string, threadId: string, event: string, data: string): Promise<number>;
  /** Events with `seq` greater than `afterSeq`, in order, at most `limit`. */
  after(runId: string, afterSeq: number, limit: number): Promise<RunEvent[]>;
  /** The run's highest sequence number, -1 before its first event. */
  lastSeq(runId: string): Promise<number>;
  deleteForRun(runId: string): Promise<void>;
  deleteForThread(threadId: string): Promise<void>;
  /**
   * Calls `listener` after each append to the run's log made through this object. Readers in
   * the process that runs the steps wake at once; readers elsewhere poll the table.
   */
  watch(runId: string, listener: () => void): () => void;
}

type Db = Kysely<{ run_events: RunEventsTable }>;

export class RunEventsRepository implements RunEventStore {
  private readonly appended = new EventEmitter().setMaxListeners(0);

  private constructor(private readonly db: Db) {}

  /** Creates the table when missing (Kysely's schema builder: SQLite now, PostgreSQL later). */
  static async open(db: Kysely<object>): Promise<RunEventsRepository> {
    const events = db.withTables<{ run_events: RunEventsTable }>();
    await events.schema
      .createTable("run_events")
      .ifNotExists()
      .addColumn("run_id", "text", (c) => c.notNull())
      .addColumn("seq", "integer", (c) => c.notNull())
      .addColumn("thread_id", "text", (c) => c.notNull())
      .addColumn("event", "text", (c) => c.notNull())
      .addColumn("data", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("run_events_pk", ["run_id", "seq"])
      .execute();
    await events.schema.createIndex("run_events_thread").ifNotExists().on("run_events").column("thread_id").execute();
    return new RunEventsRepository(events);
  }

  async append(runId: string, threadId: string, event: string, data: string): Promise<number> {
    const seq = await this.insertNext(this.db, runId, threadId, event, data);
    this.announce(runId);
    return seq;
  }

  /**
   * Appends inside the caller's transaction (which also writes other tables), without waking
   * watchers: the caller announces the append once the transaction has committed.
   */
  appendInTransaction(tx: Kysely<object>, runId: string, threadId: string, event: string, data: string): Promise<number> {
    return this.insertNext(tx.withTables<{ run_events: RunEventsTable }>(), runId, threadId, event, data);
  }

  private async insertNext(events: Db, runId: string, threadId: string, event: string, data: string): Promise<number> {
    // One statement picks the next number and inserts it, so writers in several processes never
    // share a number: SQLite runs statements one at a time, and on PostgreSQL the primary key
    // turns a concurrent duplicate into an error instead of a second event with the same id.
    const text = (value: string) => sql<string>`cast(${value} as text)`;
    const next = events
      .selectFrom("run_events")
      .select([
        text(runId).as("run_id"),
        sql<number>`coalesce(max(seq), -1) + 1`.as("seq"),
        text(threadId).as("thread_id"),
        text(event).as("event"),
        text(data).as("data"),
        text(new Date().toISOString()).as("created_at"),
      ])
      .where("run_id", "=", runId);
    const row = await events
      .insertInto("run_events")
      .columns(["run_id", "seq", "thread_id", "event", "data", "created_at"])
      .expression(next)
      .returning("seq")
      .executeTakeFirstOrThrow();
    return row.seq;
  }

  /** Wakes the run's watchers in this process. */
  announce(runId: string): void {
    this.appended.emit(runId);
  }

  async after(runId: string, afterSeq: number, limit: number): Promise<RunEvent[]> {
    return this.db
      .selectFrom("run_events")
      .select(["seq", "event", "data", "created_at"])
      .where("run_id", "=", runId)
      .where("seq", ">", afterSeq)
      .orderBy("seq")
      .limit(limit)
      .execute();
  }

  async lastSeq(runId: string): Promise<number> {
    const row = await this.db
      .selectFrom("run_events")
      .select(sql<number>`coalesce(max(seq), -1)`.as("seq"))
      .where("run_id", "=", runId)
      .executeTakeFirstOrThrow();
    return Number(row.seq);
  }

  async deleteForRun(runId: string): Promise<void> {
    await this.db.deleteFrom("run_events").where("run_id", "=", runId).execute();
  }

  async deleteForThread(threadId: string): Promise<void> {
    await this.db.deleteFrom("run_events").where("thread_id", "=", threadId).execute();
  }

  watch(runId: string, listener: () => void): () => void {
    this.appended.on(runId, listener);
    return () => this.appended.off(runId, listener);
  }
}
