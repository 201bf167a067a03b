// The Platform's logger for graph code (issue 12): `getLogger()` of
// `@langchain/langgraph-sdk/logging` returns whatever is registered under this global symbol,
// and throws when nothing is (the official server registers its winston logger before it loads
// graphs). Ours writes one JSON line per call, with the run, thread and node it was called from.
import { getConfig } from "@langchain/langgraph";

const GLOBAL_LOGGER = Symbol.for("langgraph.api.sdk-logger");
const LEVELS = ["error", "warn", "info", "http", "verbose", "debug", "silly"] as const;
type Level = (typeof LEVELS)[number];

/** run_id, thread_id, graph_id and langgraph_node of the LangGraph call in progress, if any. */
function runContext(): Record<string, unknown> {
  let config: ReturnType<typeof getConfig> | undefined;
  try {
    config = getConfig();
  } catch {
    return {};
  }
  const configurable = config?.configurable ?? {};
  const context: Record<string, unknown> = {};
  for (const key of ["run_id", "thread_id", "graph_id"]) if (configurable[key] !== undefined) context[key] = configurable[key];
  const node = config?.metadata?.langgraph_node;
  if (node !== undefined) context.langgraph_node = node;
  return context;
}

function write(level: Level, message: unknown, meta: unknown[]): void {
  const extra = Object.assign({}, ...meta.map((item) => (item instanceof Error ? { error: item.message, stack: item.stack } : typeof item === "object" && item !== null ? item : { meta: item })));
  const event = message instanceof Error ? message.message : typeof message === "string" ? message : JSON.stringify(message);
  const line = { timestamp: new Date().toISOString(), level, event, ...runContext(), ...extra };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

export function createSdkLogger() {
  const logger = Object.fromEntries(LEVELS.map((level) => [level, (message: unknown, ...meta: unknown[]) => write(level, message, meta)])) as Record<Level, (message: unknown, ...meta: unknown[]) => void>;
  return { ...logger, log: (level: Level, message: unknown, ...meta: unknown[]) => write(LEVELS.includes(level) ? level : "info", message, meta) };
}

/** Before graphs load: a graph may call `getLogger()` at the top of its module. */
export function registerSdkLogger(): void {
  (globalThis as Record<symbol, unknown>)[GLOBAL_LOGGER] ??= createSdkLogger();
}
