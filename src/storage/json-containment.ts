// Metadata and values filters (threads, assistants) match the way PostgreSQL's jsonb `@>` does,
// the Platform's semantics: an object contains another when each of the other's keys is present
// and contains its value; an array contains another when every element of the other is contained
// in some element; other values must be equal.

export function jsonContains(haystack: unknown, needle: unknown): boolean {
  if (Array.isArray(needle)) {
    return Array.isArray(haystack) && needle.every((wanted) => haystack.some((item) => jsonContains(item, wanted)));
  }
  if (isPlainObject(needle)) {
    return (
      isPlainObject(haystack) &&
      Object.entries(needle).every(([key, wanted]) => Object.hasOwn(haystack, key) && jsonContains(haystack[key], wanted))
    );
  }
  return haystack === needle;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
