// Registers our custom search attributes through the operator service when they are missing,
// so any Temporal server works, not only a dev server started with --search-attribute.
import type { Connection } from "@temporalio/client";
import type { NativeConnection } from "@temporalio/worker";
import proto from "@temporalio/proto"; // CommonJS: named exports are not visible to Node's ESM loader
import { SEARCH_ATTRIBUTES } from "../../workflows/shared.ts";

const KEYWORD = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

export const SEARCH_ATTRIBUTE_NAMES = Object.values(SEARCH_ATTRIBUTES).map((key) => key.name);

export async function ensureSearchAttributes(connection: Connection | NativeConnection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = SEARCH_ATTRIBUTE_NAMES.filter((name) => !known.has(name));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
  });
}
