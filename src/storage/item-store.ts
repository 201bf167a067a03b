// The store's contract (spec §3.9): LangGraph's BaseStore, plus the calls with TTL options that the
// /store routes and the sweep use. sql-store.ts implements it on both databases.
import type { BaseStore, Item, SearchItem } from "@langchain/langgraph-checkpoint";
import type { StoreIndex } from "../store/embeddings.ts";

export interface StoreTtl {
  /** Minutes an item lives when its put names no ttl; none when absent. */
  defaultTtlMinutes?: number;
  /** Whether a read pushes the expiry of the items it returns out again (default true). */
  refreshOnRead: boolean;
}

export interface StoreOptions {
  index?: StoreIndex;
  ttl?: StoreTtl;
}

export interface PutOptions {
  /** false: not indexed; a list: these paths instead of `store.index.fields`. */
  index?: false | string[] | null;
  /** Minutes; null: never expires; absent: `store.ttl.default_ttl`. */
  ttl?: number | null;
}

export interface ReadOptions {
  /** Overrides `store.ttl.refresh_on_read` for this read. */
  refreshTtl?: boolean;
}

export interface SearchOptions extends ReadOptions {
  filter?: Record<string, unknown>;
  limit: number;
  offset: number;
  /** Ranks by similarity when `store.index` is configured; ignored otherwise, as the reference server does. */
  query?: string;
}

/** The store as the service and the sweep use it: BaseStore plus TTL-aware calls. */
export interface ItemStore extends BaseStore {
  putItem(namespace: string[], key: string, value: Record<string, unknown>, options?: PutOptions): Promise<void>;
  getItem(namespace: string[], key: string, options?: ReadOptions): Promise<Item | null>;
  deleteItem(namespace: string[], key: string): Promise<void>;
  searchItems(namespacePrefix: string[], options: SearchOptions): Promise<SearchItem[]>;
  /** Deletes the items whose time to live ran out before `now`; returns how many. */
  sweepExpired(now?: Date): Promise<number>;
}
