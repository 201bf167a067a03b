// What the /store routes do (spec §3.9), in one place: every store route goes through this
// service, so that an access rule (auth, to come) narrows all of them alike.
import type { Item, SearchItem } from "@langchain/langgraph-checkpoint";
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

/**
 * The namespaces one caller may touch: those under `prefix`. Searches and listings are
 * narrowed to it; an item outside it is not found. Absent: everything (no auth configured).
 */
export interface NamespaceAccess {
  prefix: string[];
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

export class StoreService {
  constructor(private readonly store: ItemStore) {}

  async put({ namespace, key, value, index, ttl }: PutItemRequest, access?: NamespaceAccess): Promise<void> {
    checkItem(namespace, key, access);
    await this.store.putItem(namespace, key, value, { index, ttl });
  }

  /** null when there is no such item (the reference server answers 200 `null`). */
  async get(namespace: string[], key: string, options: { refreshTtl?: boolean }, access?: NamespaceAccess): Promise<StoreItemBody | null> {
    checkItem(namespace, key, access);
    const item = await this.store.getItem(namespace, key, options);
    return item && toBody(item);
  }

  async delete(namespace: string[], key: string, access?: NamespaceAccess): Promise<void> {
    checkItem(namespace, key, access);
    await this.store.deleteItem(namespace, key);
  }

  async search(request: SearchItemsRequest, access?: NamespaceAccess): Promise<{ items: StoreItemBody[] }> {
    checkLabels("namespace_prefix", request.namespacePrefix);
    const prefix = narrow(request.namespacePrefix, access);
    if (!prefix) return { items: [] };
    const items = await this.store.searchItems(prefix, { ...request });
    return { items: items.map(toBody) };
  }

  async listNamespaces(request: ListNamespacesRequest, access?: NamespaceAccess): Promise<{ namespaces: string[][] }> {
    checkLabels("prefix", request.prefix ?? []);
    checkLabels("suffix", request.suffix ?? []);
    const prefix = narrow(request.prefix ?? [], access);
    if (!prefix) return { namespaces: [] };
    const namespaces = await this.store.listNamespaces({ ...request, prefix: prefix.length > 0 ? prefix : undefined });
    return { namespaces };
  }
}

/** Labels as LangGraph allows them; `*` is a wildcard in prefixes and suffixes of listings. */
function checkLabels(param: string, namespace: string[]): void {
  const problem = namespaceProblem(namespace);
  if (problem) throw invalid(param, problem);
}

function checkItem(namespace: string[], key: string, access: NamespaceAccess | undefined): void {
  // The reference server's answer to an empty namespace on a put (400 "Namespace is required").
  if (namespace.length === 0) throw new ServiceError("bad_request", "Namespace is required");
  checkLabels("namespace", namespace);
  // PostgreSQL text cannot hold NUL: refused here rather than failing in the database.
  if (key.includes("\0")) throw invalid("key", "keys cannot contain NUL bytes");
  if (access && narrow(namespace, access)?.length !== namespace.length) throw new ServiceError("not_found", "Item not found");
}

/** The longer of the requested prefix and the allowed one, or undefined when they diverge. */
function narrow(requested: string[], access: NamespaceAccess | undefined): string[] | undefined {
  if (!access) return requested;
  const [shorter, longer] = requested.length <= access.prefix.length ? [requested, access.prefix] : [access.prefix, requested];
  return shorter.every((label, i) => longer[i] === label) ? longer : undefined;
}

function toBody(item: Item | SearchItem): StoreItemBody {
  const { createdAt, updatedAt, ...rest } = item;
  return { ...rest, created_at: createdAt.toISOString(), updated_at: updatedAt.toISOString() };
}
