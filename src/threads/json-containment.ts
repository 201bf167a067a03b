// Thread search filters match the way PostgreSQL's jsonb `@>` does (the Platform's semantics):
// an object contains another when every key of the second is contained in its value there;
// an array contains another when each element of the second is contained in some element;
// anything else only contains an equal value.

export function jsonContains(haystack: unknown, needle: unknown): boolean {
  if (Array.isArray(needle)) {
    return Array.isArray(haystack) && needle.every((wanted) => haystack.some((item) => jsonContains(item, wanted)));
  }
  if (isObject(needle)) {
    return isObject(haystack) && Object.entries(needle).every(([key, wanted]) => key in haystack && jsonContains(haystack[key], wanted));
  }
  return haystack === needle;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
