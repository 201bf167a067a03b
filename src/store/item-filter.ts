// The `filter` of a store search (spec §3.9): every key of the filter must match the item's
// top-level field of that name, by equality or by the operators of LangGraph's stores
// ($eq, $ne, $gt, $gte, $lt, $lte, $in, $nin; plus $exists, which PostgresStore knows).
// Objects and arrays compare by value (the in-memory store compares them by reference, so
// there they never match anything sent over HTTP).
import { isDeepStrictEqual } from "node:util";

const OPERATORS = new Set(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists"]);

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    && Object.keys(value).length > 0 && Object.keys(value).every((key) => OPERATORS.has(key));
}

function applyOperator(field: unknown, present: boolean, operator: string, operand: unknown): boolean {
  switch (operator) {
    case "$eq": return isDeepStrictEqual(field, operand);
    case "$ne": return !isDeepStrictEqual(field, operand);
    case "$gt": return present && Number(field) > Number(operand);
    case "$gte": return present && Number(field) >= Number(operand);
    case "$lt": return present && Number(field) < Number(operand);
    case "$lte": return present && Number(field) <= Number(operand);
    case "$in": return Array.isArray(operand) && operand.some((candidate) => isDeepStrictEqual(field, candidate));
    case "$nin": return !Array.isArray(operand) || !operand.some((candidate) => isDeepStrictEqual(field, candidate));
    case "$exists": return present === Boolean(operand);
    default: return false;
  }
}

export function matchesFilter(value: Record<string, unknown>, filter: Record<string, unknown> | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([key, wanted]) => {
    const present = Object.hasOwn(value, key);
    const field = value[key];
    if (isOperatorObject(wanted)) return Object.entries(wanted).every(([operator, operand]) => applyOperator(field, present, operator, operand));
    return present && isDeepStrictEqual(field, wanted);
  });
}
