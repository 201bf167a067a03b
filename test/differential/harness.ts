// The differential harness (issue 12): a scenario is written once against the official JS
// client; it runs on the oracle (the official in-memory server) and on ours, each call's answer
// or SSE event sequence goes into a transcript, and the two transcripts must be equal once
// normalised. Only what must differ is normalised: ids (each uuid becomes `<id N>` in order of
// first appearance, so the same id maps the same way on both sides), timestamps, and metadata
// that names the host.
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { startStack, type Stack } from "../helpers/stack.ts";
import { DIFFERENTIAL_CONFIG } from "./reference-global-setup.ts";

export interface Transcript {
  client: Client;
  /** Records what a client call answered: its value, or the HTTP status it failed with. */
  call<T>(label: string, fn: (client: Client) => Promise<T>, options?: { unordered?: boolean }): Promise<T>;
  /** Records every event of an SSE stream, in order. */
  stream(label: string, fn: (client: Client) => AsyncIterable<{ event: string; data: unknown }>): Promise<Array<{ event: string; data: unknown }>>;
  /** Records a raw HTTP answer, for what the client does not expose. */
  http(label: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Records a value the scenario derived itself. */
  note(label: string, value: unknown): void;
}

export type Scenario = (t: Transcript) => Promise<void>;

interface Side {
  url: string;
  client: Client;
}

/** Starts our stack for the file (the oracle is shared by the whole run); returns both sides. */
export function useServers(): { reference: () => Side; ours: () => Side } {
  let stack: Stack;
  let reference: Side;
  beforeAll(async () => {
    stack = await startStack({ configPath: DIFFERENTIAL_CONFIG });
    const url = inject("referenceUrl");
    reference = { url, client: new Client({ apiUrl: url, callerOptions: { maxRetries: 0 } }) };
  });
  afterAll(async () => stack?.stop());
  return { reference: () => reference, ours: () => ({ url: stack.url, client: new Client({ apiUrl: stack.url, callerOptions: { maxRetries: 0 } }) }) };
}

/** One test: the scenario on both servers at once, then the normalised transcripts compared. */
export function scenario(name: string, run: Scenario, options: { timeout?: number } = {}): void {
  it(
    name,
    async () => {
      const [reference, ours] = await Promise.all([transcribe(currentServers!.reference(), run), transcribe(currentServers!.ours(), run)]);
      expect(normalise(ours), "ours (+received) against the official server (-expected)").toEqual(normalise(reference));
    },
    options.timeout ?? 60_000,
  );
}

let currentServers: ReturnType<typeof useServers> | undefined;

/** useServers() for a file whose scenarios are declared with scenario(). */
export function differentialFile(): void {
  currentServers = useServers();
}

type Entry = { step: string; value?: unknown; status?: number; detail?: string; crashed?: string };

function byCreation(a: { created_at?: string }, b: { created_at?: string }): number {
  return String(a.created_at).localeCompare(String(b.created_at));
}

async function transcribe(side: Side, run: Scenario): Promise<Entry[]> {
  const entries: Entry[] = [];
  const failed = (step: string, err: unknown) => {
    const status = (err as { status?: unknown }).status;
    // A 5xx is never intended: its message goes into the transcript to show what broke.
    if (typeof status === "number") entries.push(status >= 500 ? { step, status, detail: String((err as Error).message) } : { step, status });
    else throw err;
  };
  const t: Transcript = {
    client: side.client,
    async call(step, fn, options) {
      try {
        const value = await fn(side.client);
        // A list whose order the oracle does not keep (README): compared in order of creation.
        const recorded = options?.unordered && Array.isArray(value) ? [...value].sort(byCreation) : value;
        entries.push({ step, value: recorded ?? null });
        return value;
      } catch (err) {
        failed(step, err);
        return undefined as never;
      }
    },
    async stream(step, fn) {
      const events: Array<{ event: string; data: unknown }> = [];
      try {
        for await (const { event, data } of fn(side.client)) events.push({ event, data: comparable(event, data) });
        entries.push({ step, value: events });
      } catch (err) {
        entries.push({ step, value: events });
        failed(`${step} (after the events above)`, err);
      }
      return events;
    },
    async http(step, method, path, body) {
      const response = await fetch(`${side.url}${path}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: body === undefined ? {} : { "content-type": "application/json" },
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === "" ? null : JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      entries.push(response.ok ? { step, status: response.status, value: parsed } : { step, status: response.status });
      return { status: response.status, body: parsed };
    },
    note(step, value) {
      entries.push({ step, value });
    },
  };
  try {
    await run(t);
  } catch (err) {
    entries.push({ step: "scenario crashed", crashed: String(err) });
  }
  return entries;
}

/**
 * Parts of SSE events that differ on purpose (README, "Intended differences"): our `metadata`
 * event also names the thread, and our `checkpoints` events carry the whole checkpoint
 * (config, parent_config, tasks) as LangGraph Platform's do, where the oracle sends only
 * `values`, `metadata` and `next`.
 */
function comparable(event: string, data: unknown): unknown {
  const pick = (keys: string[]) => Object.fromEntries(keys.filter((key) => key in (data as object)).map((key) => [key, (data as Record<string, unknown>)[key]]));
  if (event === "metadata" && data && typeof data === "object") return pick(["run_id", "attempt"]);
  if (event.split("|")[0] === "checkpoints" && data && typeof data === "object") return pick(["values", "metadata", "next"]);
  return data;
}

/**
 * The oracle wraps a run's error twice (`{"error": "Error", "message": "<the error as JSON>"}`);
 * unwrapped here, so that the error's class and message still compare (README).
 */
function unwrapOracleError(value: Record<string, unknown>): Record<string, unknown> {
  if (value.error !== "Error" || typeof value.message !== "string") return value;
  try {
    const inner = JSON.parse(value.message) as unknown;
    return inner && typeof inner === "object" && "error" in inner ? (inner as Record<string, unknown>) : value;
  } catch {
    return value;
  }
}

/** An SDK error message from such a body reads `Error: {"error": …}`: unwrapped the same way. */
function unwrapOracleErrorText(text: string): string {
  const match = /^Error: Error: (\{.*\})$/s.exec(text);
  if (!match) return text;
  const inner = unwrapOracleError({ error: "Error", message: match[1] });
  return inner.error === "Error" ? text : `Error: ${String(inner.error)}: ${String(inner.message)}`;
}

/** Metadata keys that name the host or the client, not the run (spec §5.10). */
const HOST_KEYS = new Set(["langgraph_version", "langgraph_api_version", "langgraph_plan", "langgraph_host", "langgraph_api_url", "langgraph_request_id", "user-agent", "x-request-id", "run_attempt", "created_by"]);
/**
 * Fields we always send where the oracle leaves them out until they have a value (README,
 * "Intended differences"): dropped on both sides when empty, so a real value still compares.
 */
const EMPTY_WHEN_ABSENT = new Set(["values", "interrupts", "cancel_reason", "command", "feedback_keys", "interrupt_after", "interrupt_before", "webhook", "checkpoint_map", "metadata"]);
/** A thread's `interrupts` by task: the oracle also lists tasks without any (README). */
const withoutEmptyLists = (value: unknown) =>
  value && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).filter(([, v]) => !(Array.isArray(v) && v.length === 0))) : value;
const isEmpty = (value: unknown) => value === null || (typeof value === "object" && Object.keys(value as object).length === 0);
/**
 * Bookkeeping the oracle does not keep: times (state_updated_at) and our kwargs.durability;
 * and `checkpoint_map`, which LangGraph's SQLite and PostgreSQL savers do not give back in a
 * stored checkpoint's address where the oracle's in-memory saver does (README).
 */
const OURS_ONLY = new Set(["state_updated_at", "durability", "checkpoint_map"]);
const RUN_IDS = new Set(["run_id", "thread_id", "graph_id", "assistant_id"]);
/** uuids, and the 32-hex ids of interrupts. */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b[0-9a-f]{32}\b/g;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

export function normalise(entries: Entry[]): unknown {
  const ids = new Map<string, string>();
  const id = (uuid: string) => {
    if (!ids.has(uuid)) ids.set(uuid, `<id ${ids.size + 1}>`);
    return ids.get(uuid)!;
  };
  const walk = (value: unknown, key = ""): unknown => {
    if (typeof value === "string") return TIME.test(value) ? "<time>" : unwrapOracleErrorText(value).replace(UUID, id);
    if (Array.isArray(value)) return value.map((item) => walk(item));
    if (value === null || typeof value !== "object") return value;
    const raw = "__error__" in value ? { ...value, __error__: unwrapOracleError((value as { __error__: Record<string, unknown> }).__error__) } : (value as Record<string, unknown>);
    const record = key === "interrupts" ? (withoutEmptyLists(raw) as Record<string, unknown>) : raw;
    // Our runs' configurable also names the run, thread, graph and assistant (spec §5.10, README).
    const isConfigurable = key === "configurable";
    // A thread state's `interrupts` (every task's, in one list) is ours only (README).
    const isThreadState = "next" in record && "tasks" in record;
    const keys = Object.keys(record)
      .filter((key) => !HOST_KEYS.has(key) && !OURS_ONLY.has(key) && !(EMPTY_WHEN_ABSENT.has(key) && isEmpty(key === "interrupts" ? withoutEmptyLists(record[key]) : record[key])) && !(isThreadState && key === "interrupts") && !(isConfigurable && RUN_IDS.has(key)))
      .sort();
    // Keys may be ids too (checkpoint_map's `child:<task id>`, interrupts by task id).
    return Object.fromEntries(keys.map((k) => [k.replace(UUID, id), walk(record[k], k)]));
  };
  return entries.map((entry) => walk(entry));
}
