// The @langchain/langgraph a graph imports is the user's own copy (issue 17), which may not be
// the one this server was installed with (`npx` without installing, a version outside our peer
// range). Below 1.4.0 LangGraph has no RunControl and would ignore the one the step activity
// passes to read a checkpoint without running a node, so such a graph is refused at load.
import { createRequire } from "node:module";

/** The peer dependency range of package.json. */
export const SUPPORTED_LANGGRAPH = "^1.4.0";

/** The version of @langchain/langgraph that `file` resolves, if it resolves one. */
export function langGraphVersionFor(file: string): string | undefined {
  try {
    return (createRequire(file)("@langchain/langgraph/package.json") as { version: string }).version;
  } catch {
    return undefined;
  }
}

export function isSupportedLangGraph(version: string): boolean {
  const [major, minor = 0] = version.split(".").map((part) => parseInt(part, 10));
  return major === 1 && minor >= 4;
}
