/** `select` of a search (threads, crons): only the named fields, in the resource's own field order. */
export function selectFields<T extends object>(resource: T, select: readonly string[]): Partial<T> {
  return Object.fromEntries(Object.entries(resource).filter(([field]) => select.includes(field))) as Partial<T>;
}
