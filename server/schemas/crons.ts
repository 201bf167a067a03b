// Request and response schemas of the cron routes (spec §3.7; the SDKs' CronsCreatePayload,
// CronsUpdatePayload, search and count). Both SDKs leave unset options out; the cron's own
// optional fields also take null (`end_time: null` clears an end time).
import { Type, type TSchema } from "typebox";
import { CRON_SORT_KEYS } from "../../src/storage/types.ts";
import { JsonObject, Limit, Offset, Uuid } from "./common.ts";
import { RunCreate } from "./runs.ts";

const Nullable = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
const OnRunCompleted = Type.Enum(["delete", "keep"]);
/** ISO 8601; parsed by the service (the Python SDK may send a time without an offset, read as UTC). */
const DateTime = Type.String({ minLength: 1, maxLength: 64 });

/** The run fields a cron's payload keeps, validated as POST /runs validates them. */
const {
  input, command, metadata, config, context, checkpoint_id, interrupt_before, interrupt_after, webhook, multitask_strategy,
  checkpoint_during, durability, stream_mode, stream_subgraphs, stream_resumable, feedback_keys,
} = RunCreate.properties;
const RunFields = {
  input, command, metadata, config, context, checkpoint_id, interrupt_before, interrupt_after, webhook, multitask_strategy,
  checkpoint_during, durability, stream_mode, stream_subgraphs, stream_resumable, feedback_keys,
};

export const CronCreate = Type.Object({
  ...RunFields,
  assistant_id: Type.String({ minLength: 1 }),
  schedule: Type.String({ minLength: 1, maxLength: 256 }),
  timezone: Nullable(Type.String({ maxLength: 64 })),
  end_time: Nullable(DateTime),
  on_run_completed: Nullable(OnRunCompleted),
  enabled: Nullable(Type.Boolean()),
});

export const CronUpdate = Type.Object({
  ...RunFields,
  schedule: Nullable(Type.String({ minLength: 1, maxLength: 256 })),
  timezone: Nullable(Type.String({ maxLength: 64 })),
  end_time: Nullable(DateTime),
  on_run_completed: Nullable(OnRunCompleted),
  enabled: Nullable(Type.Boolean()),
});

/** Fields of a Cron a search may select (SDK `CronSelectField`). */
export const CRON_SELECT_FIELDS = [
  "cron_id", "assistant_id", "thread_id", "end_time", "schedule", "created_at", "updated_at", "user_id", "payload",
  "next_run_date", "metadata", "now", "timezone", "enabled", "on_run_completed",
] as const;

const CronFilter = {
  assistant_id: Nullable(Type.String({ minLength: 1 })),
  thread_id: Nullable(Uuid),
  metadata: Nullable(JsonObject),
};

export const CronSearch = Type.Object({
  ...CronFilter,
  enabled: Nullable(Type.Boolean()),
  limit: Type.Optional(Limit),
  offset: Type.Optional(Offset),
  sort_by: Nullable(Type.Enum(CRON_SORT_KEYS)),
  sort_order: Nullable(Type.Enum(["asc", "desc"])),
  select: Nullable(Type.Array(Type.Enum(CRON_SELECT_FIELDS))),
});

export const CronCount = Type.Object(CronFilter);

export const CronParams = Type.Object({ cron_id: Uuid });

const NullableString = Type.Union([Type.String(), Type.Null()]);

/** A Cron as clients see it; unknown fields are kept (a later field must not be dropped). */
export const CronResponse = Type.Object(
  {
    cron_id: Uuid,
    assistant_id: Type.String(),
    thread_id: NullableString,
    user_id: NullableString,
    schedule: Type.String(),
    timezone: NullableString,
    end_time: NullableString,
    payload: JsonObject,
    metadata: JsonObject,
    on_run_completed: Type.Union([OnRunCompleted, Type.Null()]),
    enabled: Type.Boolean(),
    next_run_date: NullableString,
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { additionalProperties: true },
);

/** A search with `select` returns only the selected fields. */
export const CronSearchResponse = Type.Array(Type.Partial(CronResponse, { additionalProperties: true }));

const ErrorBody = Type.Object({ detail: Type.String(), code: Type.Optional(Type.String()) }, { additionalProperties: true });

/** The error statuses every cron route may answer (spec §6). */
export const CronErrors = { 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
