// Namespaces of the store (spec §3.9): a list of labels. Stored joined by ".", which no label may
// contain, so a joined namespace splits back unambiguously and a prefix is a string prefix.
import type { MatchCondition } from "@langchain/langgraph-checkpoint";

export const SEPARATOR = ".";

export const joinNamespace = (namespace: readonly string[]): string => namespace.join(SEPARATOR);
export const splitNamespace = (joined: string): string[] => joined.split(SEPARATOR);

/**
 * Why the namespace is not valid, or undefined when it is. The labels rules are LangGraph's
 * (`validateNamespace`): no empty label, no "." (our separator) and no ":" (the separator of
 * LangGraph's other stores, so a namespace written here can move to them).
 */
export function namespaceProblem(namespace: readonly unknown[]): string | undefined {
  for (const label of namespace) {
    if (typeof label !== "string" || label === "") return "namespace labels must be non-empty strings";
    if (label.includes(".") || label.includes(":")) return `namespace label "${label}" contains "." or ":"`;
    if (label.includes("\0")) return "namespace labels cannot contain NUL bytes";
  }
  return undefined;
}

/** `*` in a condition's path matches any one label (as LangGraph's stores do). */
export function matchesCondition(namespace: readonly string[], { matchType, path }: MatchCondition): boolean {
  if (path.length > namespace.length) return false;
  const start = matchType === "prefix" ? 0 : namespace.length - path.length;
  return path.every((label, i) => label === "*" || label === namespace[start + i]);
}

/**
 * The distinct namespaces that meet every condition, cut to `maxDepth` labels, in the order of
 * the official server's in-memory store (locale order of the ":"-joined labels), one page.
 */
export function selectNamespaces(
  namespaces: Iterable<readonly string[]>,
  options: { matchConditions?: MatchCondition[]; maxDepth?: number; limit: number; offset: number },
): string[][] {
  const seen = new Map<string, string[]>();
  for (const namespace of namespaces) {
    if (!(options.matchConditions ?? []).every((condition) => matchesCondition(namespace, condition))) continue;
    const cut = options.maxDepth === undefined ? [...namespace] : namespace.slice(0, options.maxDepth);
    seen.set(cut.join(":"), cut);
  }
  const sorted = [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, namespace]) => namespace);
  return sorted.slice(options.offset, options.offset + options.limit);
}
