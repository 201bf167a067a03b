// What the /store routes do (spec §3.9), in one place: every store route goes through this
// service, so that custom auth's `store` handlers narrow all of them alike.
import type { Item, SearchItem } from "@langchain/langgraph-checkpoint";
import { type AuthFilters, satisfiesAuthFilters } from "../auth/auth-filters.ts";
import type { Caller } from "../auth/caller.ts";
import { ServiceError, invalid } from "../errors.ts";
import type { ItemStore, PutOptions } from "../storage/item-store.ts";
import { namespaceProblem } from "./namespaces.ts";

/** An item as clients see it (the reference server's `created_at` / `updated_at`). */
export interface StoreItemBody {
  namespace: string[];
  key: string;
  value: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  score?: number;
}

export interface PutItemRequest extends PutOptions {
  namespace: string[];
  key: string;
  value: Record<string, unknown>;
}

export interface SearchItemsRequest {
  namespacePrefix: string[];
  filter?: Record<string, unknown>;
  limit: number;
  offset: number;
  query?: string;
  refreshTtl?: boolean;
}

export interface ListNamespacesRequest {
  prefix?: string[];
  suffix?: string[];
  maxDepth?: number;
  limit: number;
  offset: number;
}

/** Filtered searches read candidates in pages of this many, up to the bound (the JS server's). */
const SCAN_PAGE = 1000;
const SCAN_BOUND = 10_000;

/**
 * Custom auth (issue 13) as the JS server applies it (`api/store.mjs`): the `store` handlers see
 * `{namespace, key, value}` and may change it (the namespace and key they leave are the ones
 * used); their filters match an item as `{...value, namespace, key}`. An existing item they hide
 * is 404, a write they do not allow 403. Without auth (ANONYMOUS) nothing of this applies.
 */
export class StoreService {
  constructor(private readonly store: ItemStore) {}

  async put({ namespace, key, value, index, ttl }: PutItemRequest, caller: Caller): Promise<void> {
    checkItem(namespace, key);
    const event = { namespace, key, value };
    const filters = await caller.authorize("store", "put", event);
    checkItem(event.namespace, event.key);
    if (filters) {
      await this.existingVisible(event.namespace, event.key, filters);
      if (!satisfiesAuthFilters({ ...event.value, namespace: event.namespace, key: event.key }, filters)) throw notAuthorized();
    }
    await this.store.putItem(event.namespace, event.key, event.value, { index, ttl });
  }

  /** null when there is no such item (the reference server answers 200 `null`). */
  async get(namespace: string[], key: string, options: { refreshTtl?: boolean }, caller: Caller): Promise<StoreItemBody | null> {
    checkItem(namespace, key);
    const event = { namespace, key };
    const filters = await caller.authorize("store", "get", event);
    checkItem(event.namespace, event.key);
    const item = await this.store.getItem(event.namespace, event.key, options);
    if (item && !itemVisible(item, filters)) throw itemNotFound();
    return item && toBody(item);
  }

  async delete(namespace: string[], key: string, caller: Caller): Promise<void> {
    checkItem(namespace, key);
    const event = { namespace, key };
    const filters = await caller.authorize("store", "delete", event);
    checkItem(event.namespace, event.key);
    if (filters) {
      const existing = await this.existingVisible(event.namespace, event.key, filters);
      if (!existing && !satisfiesAuthFilters({ namespace: event.namespace, key: event.key }, filters)) throw notAuthorized();
    }
    await this.store.deleteItem(event.namespace, event.key);
  }

  async search(request: SearchItemsRequest, caller: Caller): Promise<{ items: StoreItemBody[] }> {
    checkLabels("namespace_prefix", request.namespacePrefix);
    const { limit, offset } = request;
    const event = { namespace: request.namespacePrefix, filter: request.filter, limit, offset, query: request.query };
    const filters = await caller.authorize("store", "search", event);
    const prefix = event.namespace ?? [];
    checkLabels("namespace_prefix", prefix);
    const page = (pageLimit: number, pageOffset: number) => this.store.searchItems(prefix, { ...request, limit: pageLimit, offset: pageOffset });
    const items = filters ? await scanAuthorized(page, (item) => itemVisible(item, filters), limit, offset) : await page(limit, offset);
    return { items: items.map(toBody) };
  }

  async listNamespaces(request: ListNamespacesRequest, caller: Caller): Promise<{ namespaces: string[][] }> {
    checkLabels("prefix", request.prefix ?? []);
    checkLabels("suffix", request.suffix ?? []);
    const { suffix, maxDepth, limit, offset } = request;
    const event = { namespace: request.prefix, suffix, max_depth: maxDepth, limit, offset };
    const filters = await caller.authorize("store", "list_namespaces", event);
    const prefix = event.namespace ?? [];
    checkLabels("prefix", prefix);
    const page = (pageLimit: number, pageOffset: number) =>
      this.store.listNamespaces({ ...request, prefix: prefix.length > 0 ? prefix : undefined, limit: pageLimit, offset: pageOffset });
    const visible = (namespace: string[]) => satisfiesAuthFilters({ namespace }, filters);
    return { namespaces: filters ? await scanAuthorized(page, visible, limit, offset) : await page(limit, offset) };
  }

  /** The item at namespace/key if any; 404 when the filters hide it. */
  private async existingVisible(namespace: string[], key: string, filters: AuthFilters): Promise<Item | null> {
    const existing = await this.store.getItem(namespace, key, { refreshTtl: false });
    if (existing && !itemVisible(existing, filters)) throw itemNotFound();
    return existing;
  }
}

const itemNotFound = () => new ServiceError("not_found", "Item not found");
const notAuthorized = () => new ServiceError("forbidden", "Not authorized");

const itemVisible = (item: Item, filters: AuthFilters | undefined) =>
  satisfiesAuthFilters({ ...item.value, namespace: item.namespace, key: item.key }, filters);

/**
 * One page of what the filters let through, read page by page from the start; past SCAN_BOUND
 * candidates the search is refused (400) rather than answered incompletely (the JS server's rule).
 */
async function scanAuthorized<T>(page: (limit: number, offset: number) => Promise<T[]>, visible: (candidate: T) => boolean, limit: number, offset: number): Promise<T[]> {
  const wanted = offset + limit;
  const found: T[] = [];
  let scanned = 0;
  while (found.length < wanted && scanned < SCAN_BOUND) {
    const pageLimit = Math.min(SCAN_PAGE, SCAN_BOUND - scanned);
    const candidates = await page(pageLimit, scanned);
    scanned += candidates.length;
    found.push(...candidates.filter(visible));
    if (candidates.length < pageLimit) return found.slice(offset, wanted);
  }
  if (found.length < wanted) {
    throw new ServiceError("bad_request", "Authenticated store query exceeded maximum scan limit. Narrow the namespace or filters.");
  }
  return found.slice(offset, wanted);
}

/** Labels as LangGraph allows them; `*` is a wildcard in prefixes and suffixes of listings. */
function checkLabels(param: string, namespace: string[]): void {
  const problem = namespaceProblem(namespace);
  if (problem) throw invalid(param, problem);
}

function checkItem(namespace: string[], key: string): void {
  // The reference server's answer to an empty namespace on a put (400 "Namespace is required").
  if (namespace.length === 0) throw new ServiceError("bad_request", "Namespace is required");
  checkLabels("namespace", namespace);
  // PostgreSQL text cannot hold NUL: refused here rather than failing in the database.
  if (key.includes("\0")) throw invalid("key", "keys cannot contain NUL bytes");
}

function toBody(item: Item | SearchItem): StoreItemBody {
  const { createdAt, updatedAt, ...rest } = item;
  return { ...rest, created_at: createdAt.toISOString(), updated_at: updatedAt.toISOString() };
}
