// Crons (spec §3.7): the record in storage, the timetable in the cron's Temporal Schedule. Every
// read and change goes through here, each authorized by custom auth's `crons` handlers (issue 13).
import { now, type Cron, type JsonObject } from "../api-types.ts";
import type { AssistantsService } from "../assistants/assistants-service.ts";
import type { AuthFilters } from "../auth/auth-filters.ts";
import type { Caller } from "../auth/caller.ts";
import { invalid, notFound, threadNotFound } from "../errors.ts";
import { newCronId } from "../ids.ts";
import type { CronFilter, CronSearch, Storage } from "../storage/types.ts";
import type { CronSchedules } from "../temporal/cron-schedules.ts";
import { type CronCreateBody, type CronUpdateBody, parseEndTime, parseTimezone, runFields } from "./cron-request.ts";

/** Crons removed per round when a thread or an assistant goes. */
const DELETE_BATCH = 100;

const cronNotFound = (cronId: string) => notFound(`Cron with ID ${cronId} not found`);

/** What deleting a thread or an assistant must do about its crons. */
export interface CronCleanup {
  deleteForThread(threadId: string): Promise<void>;
  deleteForAssistant(assistantId: string): Promise<void>;
}

export class CronsService implements CronCleanup {
  constructor(
    private readonly storage: Storage,
    private readonly assistants: Pick<AssistantsService, "resolve">,
    private readonly schedules: CronSchedules,
  ) {}

  /** A cron whose fires run on the thread (POST /threads/{thread_id}/runs/crons). */
  async createForThread(threadId: string, body: CronCreateBody, caller: Caller): Promise<Cron> {
    // Its fires are runs on the thread: the caller must be one who may run there.
    const filters = await caller.authorize("threads", "create_run", { thread_id: threadId });
    if (!(await this.storage.threads.get(threadId, filters))) throw threadNotFound(threadId);
    return this.create(threadId, body, caller);
  }

  /** A cron whose every fire runs on a new thread (POST /runs/crons). */
  createStateless(body: CronCreateBody, caller: Caller): Promise<Cron> {
    return this.create(null, body, caller);
  }

  async get(cronId: string, caller: Caller): Promise<Cron> {
    const cron = await this.visible(cronId, await caller.authorize("crons", "read", { cron_id: cronId }));
    return this.reconcile(cron);
  }

  async search(query: CronSearch, caller: Caller): Promise<{ items: Cron[]; total: number }> {
    return this.storage.crons.search({ ...(await this.byAssistantId(query)), auth: await searchFilters(query, caller) });
  }

  /** Counting is a search to the handlers (the SDK's `crons:search`; there is no `crons:count`). */
  async count(filter: CronFilter, caller: Caller): Promise<number> {
    return this.storage.crons.count({ ...(await this.byAssistantId(filter)), auth: await searchFilters(filter, caller) });
  }

  /** Given fields replace the cron's; run fields replace the payload's, metadata is merged. */
  async update(cronId: string, body: CronUpdateBody, caller: Caller): Promise<Cron> {
    // The handler sees the run fields as `payload` and may stamp its metadata (as on create).
    const event = { cron_id: cronId, payload: runFields(body), ...(body.schedule ? { schedule: body.schedule } : {}) };
    const cron = await this.visible(cronId, await caller.authorize("crons", "update", event));
    const payload = (event.payload ?? {}) as JsonObject;
    const metadata = payload.metadata ? { ...cron.metadata, ...(payload.metadata as JsonObject) } : cron.metadata;
    const updated: Cron = {
      ...cron,
      schedule: body.schedule ? checkSchedule(body.schedule) : cron.schedule,
      timezone: body.timezone !== undefined && body.timezone !== null ? parseTimezone(body.timezone) : cron.timezone,
      end_time: body.end_time !== undefined ? parseEndTime(body.end_time) : cron.end_time,
      on_run_completed: cron.thread_id === null ? (body.on_run_completed ?? cron.on_run_completed) : null,
      enabled: body.enabled ?? cron.enabled,
      payload: { ...cron.payload, ...payload, ...(payload.metadata ? { metadata } : {}) },
      metadata,
      updated_at: now(),
    };
    // Temporal checks the new timetable first: a refused one leaves the cron as it was.
    const state = await this.schedules.upsert(updated);
    updated.next_run_date = state.nextRunDate;
    await this.storage.crons.update(cronId, updated);
    return updated;
  }

  async delete(cronId: string, caller: Caller): Promise<void> {
    await this.visible(cronId, await caller.authorize("crons", "delete", { cron_id: cronId }));
    // The Schedule first, so nothing fires for a cron that is gone.
    await this.schedules.remove(cronId);
    await this.storage.crons.delete(cronId);
  }

  /** Deleting a thread deletes its crons (issue 14). */
  deleteForThread(threadId: string): Promise<void> {
    return this.deleteAll({ threadId });
  }

  /** Deleting an assistant deletes its crons (issue 14). */
  deleteForAssistant(assistantId: string): Promise<void> {
    return this.deleteAll({ assistantId });
  }

  /** The record after a fire: when Temporal fires next. */
  async noteFired(cronId: string): Promise<void> {
    const cron = await this.storage.crons.get(cronId);
    if (cron) await this.reconcile(cron);
  }

  /** The cron if it satisfies the caller's filters; 404 as for a missing cron otherwise. */
  private async visible(cronId: string, filters: AuthFilters | undefined): Promise<Cron> {
    const cron = await this.storage.crons.get(cronId, { auth: filters });
    if (!cron) throw cronNotFound(cronId);
    return cron;
  }

  private async create(threadId: string | null, body: CronCreateBody, caller: Caller): Promise<Cron> {
    const assistant = await this.assistants.resolve(body.assistant_id);
    if (!assistant) throw notFound(`No assistant found for "${body.assistant_id}". Make sure the assistant ID is for a valid assistant or a valid graph ID.`);
    const event = {
      payload: runFields(body),
      schedule: body.schedule,
      cron_id: newCronId(),
      thread_id: threadId,
      user_id: caller.user?.identity ?? null,
      end_time: body.end_time ?? null,
    };
    await caller.authorize("crons", "create", event);
    // What the handler left in the payload is stored; its metadata is the cron's (e.g. an owner stamp).
    const payload = (event.payload ?? {}) as JsonObject;
    const timestamp = now();
    const cron: Cron = {
      cron_id: event.cron_id,
      assistant_id: assistant.assistant_id,
      thread_id: threadId,
      user_id: caller.user?.identity ?? null,
      schedule: checkSchedule(body.schedule),
      timezone: parseTimezone(body.timezone),
      end_time: parseEndTime(body.end_time),
      payload,
      metadata: (payload.metadata as JsonObject | undefined) ?? {},
      // Stateless fires delete their thread unless told to keep it (the SDKs' default).
      on_run_completed: threadId === null ? (body.on_run_completed ?? "delete") : null,
      enabled: body.enabled ?? true,
      next_run_date: null,
      created_at: timestamp,
      updated_at: timestamp,
    };
    await this.storage.crons.insert(cron, caller.user);
    try {
      cron.next_run_date = (await this.schedules.upsert(cron)).nextRunDate;
    } catch (err) {
      await this.storage.crons.delete(cron.cron_id);
      throw err;
    }
    await this.storage.crons.update(cron.cron_id, { next_run_date: cron.next_run_date });
    return cron;
  }

  /** A pause or resume in the Web UI, and the next fire time, are Temporal's to tell. */
  private async reconcile(cron: Cron): Promise<Cron> {
    const state = await this.schedules.state(cron.cron_id);
    if (!state) return cron;
    const current = { enabled: !state.paused, next_run_date: state.nextRunDate };
    if (current.enabled === cron.enabled && current.next_run_date === cron.next_run_date) return cron;
    await this.storage.crons.update(cron.cron_id, current);
    return { ...cron, ...current };
  }

  /** A graph id filters by its system assistant, as crons store the assistant id they resolved. */
  private async byAssistantId<F extends CronFilter>(filter: F): Promise<F> {
    if (filter.assistantId === undefined) return filter;
    const assistant = await this.assistants.resolve(filter.assistantId);
    return assistant ? { ...filter, assistantId: assistant.assistant_id } : filter;
  }

  private async deleteAll(filter: CronFilter): Promise<void> {
    for (;;) {
      const { items } = await this.storage.crons.search({ ...filter, limit: DELETE_BATCH, offset: 0, sortBy: "cron_id", sortOrder: "asc" });
      for (const cron of items) {
        await this.schedules.remove(cron.cron_id);
        await this.storage.crons.delete(cron.cron_id);
      }
      if (items.length < DELETE_BATCH) return;
    }
  }
}

function searchFilters(filter: CronFilter & { limit?: number; offset?: number }, caller: Caller): Promise<AuthFilters | undefined> {
  const { assistantId, threadId, limit, offset } = filter;
  return caller.authorize("crons", "search", { assistant_id: assistantId, thread_id: threadId, limit, offset });
}

function checkSchedule(schedule: string): string {
  const trimmed = schedule.trim();
  if (trimmed === "") throw invalid("schedule", "a cron expression is required");
  return trimmed;
}
