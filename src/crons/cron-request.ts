// Cron bodies (the SDKs' CronsCreatePayload / CronsUpdatePayload) split into the cron's own
// fields and the run body each fire submits (`payload`). Pure.
import type { Cron, JsonObject } from "../api-types.ts";
import { invalid } from "../errors.ts";
import type { RunCreateBody } from "../runs/run-request.ts";

/** The run fields a cron keeps in its payload (the SDKs send these; absent ones are left out). */
const PAYLOAD_FIELDS = [
  "input", "command", "config", "context", "metadata", "checkpoint_id", "interrupt_before", "interrupt_after", "webhook",
  "multitask_strategy", "checkpoint_during", "durability", "stream_mode", "stream_subgraphs", "stream_resumable", "feedback_keys",
] as const;

type PayloadField = (typeof PAYLOAD_FIELDS)[number];

export type CronRunFields = Partial<Pick<RunCreateBody, PayloadField>>;

export interface CronCreateBody extends CronRunFields {
  assistant_id: string;
  schedule: string;
  timezone?: string | null;
  end_time?: string | null;
  on_run_completed?: "delete" | "keep" | null;
  enabled?: boolean | null;
}

export interface CronUpdateBody extends CronRunFields {
  schedule?: string | null;
  timezone?: string | null;
  /** null clears a previous end time; absent leaves it. */
  end_time?: string | null;
  on_run_completed?: "delete" | "keep" | null;
  enabled?: boolean | null;
}

/** The given run fields. */
export function runFields(body: CronRunFields): JsonObject {
  const payload: JsonObject = {};
  for (const field of PAYLOAD_FIELDS) {
    const value = body[field];
    if (value !== undefined) payload[field] = value;
  }
  return payload;
}

/** The body a fire submits to the runs service. */
export function runBodyOf(cron: Cron): RunCreateBody {
  return { ...(cron.payload as Partial<RunCreateBody>), assistant_id: cron.assistant_id };
}

/**
 * ISO 8601 instant, normalised; a time in the past is allowed (the cron then never fires).
 * Without an offset it is UTC, as schedules are (the Python SDK sends naive datetimes as given).
 */
export function parseEndTime(endTime: string | null | undefined): string | null {
  if (endTime === null || endTime === undefined) return null;
  const hasOffset = /(Z|[+-]\d\d:?\d\d)$/i.test(endTime) || !endTime.includes("T");
  const time = new Date(hasOffset ? endTime : `${endTime}Z`);
  if (Number.isNaN(time.getTime())) throw invalid("end_time", `"${endTime}" is not an ISO 8601 date-time`);
  return time.toISOString();
}

/** IANA zone names as the JS runtime knows them (Temporal would otherwise answer with a gRPC error). */
export function parseTimezone(timezone: string | null | undefined): string | null {
  if (timezone === null || timezone === undefined || timezone === "") return null;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
  } catch {
    throw invalid("timezone", `"${timezone}" is not an IANA time zone`);
  }
  return timezone;
}
