// `store` in langgraph.json (spec §2.1, §3.9; issue 14 for `ttl`), as LangGraph Platform reads it:
// {"index": {"embed", "dims", "fields"}, "ttl": {"default_ttl", "refresh_on_read", "sweep_interval_minutes"}}.
import { MAX_TTL_MINUTES } from "../api-types.ts";
import type { StoreOptions } from "../storage/item-store.ts";
import { loadEmbedder } from "./embeddings.ts";

export interface StoreConfig {
  index?: { embed: string; dims: number; fields: string[] };
  ttl?: {
    /** Minutes; items put without a ttl never expire when absent. */
    defaultTtl?: number;
    refreshOnRead: boolean;
    sweepIntervalMinutes: number;
  };
}

/** How often expired items are deleted when `sweep_interval_minutes` is not given (Platform's default). */
export const DEFAULT_SWEEP_INTERVAL_MINUTES = 60;

export class StoreConfigError extends Error {
  override name = "StoreConfigError";
}

export function parseStoreConfig(raw: unknown): StoreConfig {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw new StoreConfigError(`"store" must be an object`);
  const config: StoreConfig = {};
  if (raw.index !== undefined && raw.index !== null) {
    const { embed, dims, fields } = isObject(raw.index) ? raw.index : ({} as Record<string, unknown>);
    if (typeof embed !== "string" || embed === "") throw new StoreConfigError(`"store.index.embed" must name an embedding ("./embed.ts:embed" or "openai:<model>")`);
    if (typeof dims !== "number" || !Number.isInteger(dims) || dims < 1) throw new StoreConfigError(`"store.index.dims" must be an integer >= 1`);
    if (fields !== undefined && !(Array.isArray(fields) && fields.every((f) => typeof f === "string"))) {
      throw new StoreConfigError(`"store.index.fields" must be a list of JSON paths`);
    }
    config.index = { embed, dims, fields: (fields as string[] | undefined) ?? ["$"] };
  }
  if (raw.ttl !== undefined && raw.ttl !== null) {
    if (!isObject(raw.ttl)) throw new StoreConfigError(`"store.ttl" must be an object`);
    const { default_ttl, refresh_on_read, sweep_interval_minutes } = raw.ttl;
    if (default_ttl != null && !(typeof default_ttl === "number" && default_ttl > 0 && default_ttl <= MAX_TTL_MINUTES)) {
      throw new StoreConfigError(`"store.ttl.default_ttl" must be a number of minutes > 0 and at most ${MAX_TTL_MINUTES} (a hundred years)`);
    }
    if (refresh_on_read != null && typeof refresh_on_read !== "boolean") throw new StoreConfigError(`"store.ttl.refresh_on_read" must be true or false`);
    if (sweep_interval_minutes != null && !(typeof sweep_interval_minutes === "number" && Number.isInteger(sweep_interval_minutes) && sweep_interval_minutes >= 1)) {
      throw new StoreConfigError(`"store.ttl.sweep_interval_minutes" must be an integer >= 1`);
    }
    config.ttl = {
      ...(default_ttl != null ? { defaultTtl: default_ttl as number } : {}),
      refreshOnRead: (refresh_on_read as boolean | undefined) ?? true,
      sweepIntervalMinutes: (sweep_interval_minutes as number | undefined) ?? DEFAULT_SWEEP_INTERVAL_MINUTES,
    };
  }
  return config;
}

/** What the store is opened with: the embedding module loaded from the project's folder. */
export async function storeOptions(config: StoreConfig, projectRoot: string): Promise<StoreOptions> {
  return {
    ...(config.index
      ? { index: { dims: config.index.dims, fields: config.index.fields, embeddings: await loadEmbedder(config.index.embed, projectRoot) } }
      : {}),
    ...(config.ttl ? { ttl: { defaultTtlMinutes: config.ttl.defaultTtl, refreshOnRead: config.ttl.refreshOnRead } } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
