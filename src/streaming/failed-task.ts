// The task whose error ended a step's graph call (issue 12). An uninterrupted loop streams its
// start and its result with the error (`tasks`, and `debug` types `task` / `task_result`)
// before the run's `error` event; in a step's call LangGraph may drop the chunks still queued
// behind the error that ends the call. So the step remembers the root graph's task starts and
// results and writes only what is missing itself.
import type { StepChunk } from "./step-chunks.ts";

type TaskStart = { id: string; name: string } & Record<string, unknown>;

export class StartedTasks {
  private readonly starts = new Map<string, TaskStart>();
  private readonly inDebug = new Set<string>();
  /** Task ids whose result the call already streamed, per mode. */
  private readonly resultIn = { tasks: new Set<string>(), debug: new Set<string>() };
  /** The super-step the call's nodes run in: one after the last checkpoint it announced. */
  private step: number | undefined;

  /** Notes root-graph task starts and checkpoint announcements. */
  see({ namespace, mode, payload }: StepChunk): void {
    if (namespace.length > 0) return;
    if (mode === "tasks" && isTaskStart(payload)) this.starts.set(payload.id, payload);
    else if (mode === "tasks" && hasId(payload)) this.resultIn.tasks.add(payload.id);
    if (mode !== "debug") return;
    const record = payload as { type?: string; step?: number; payload?: unknown };
    if (record.type === "checkpoint" && typeof record.step === "number") this.step = record.step + 1;
    if (record.type === "task" && isTaskStart(record.payload)) {
      this.starts.set(record.payload.id, record.payload);
      this.inDebug.add(record.payload.id);
    }
    if (record.type === "task_result" && hasId(record.payload)) this.resultIn.debug.add(record.payload.id);
  }

  /** What the stream lacks of the failed task; nothing when the error names no task seen. */
  failedTaskChunks(error: unknown): StepChunk[] {
    const taskId = (error as { pregelTaskId?: unknown } | null)?.pregelTaskId;
    const start = typeof taskId === "string" ? this.starts.get(taskId) : undefined;
    if (!start) return [];
    const err = error instanceof Error ? error : new Error(String(error));
    const result = { id: start.id, name: start.name, error: { message: err.message, name: err.name }, result: {}, interrupts: [] };
    const debug = (type: string, payload: unknown): StepChunk => ({
      namespace: [],
      mode: "debug",
      payload: { step: this.step, timestamp: new Date().toISOString(), type, payload },
    });
    return [
      ...(this.inDebug.has(start.id) ? [] : [debug("task", start)]),
      ...(this.resultIn.tasks.has(start.id) ? [] : [{ namespace: [], mode: "tasks", payload: result } satisfies StepChunk]),
      ...(this.resultIn.debug.has(start.id) ? [] : [debug("task_result", result)]),
    ];
  }
}

/** A task start carries its triggers; a task result does not. */
function isTaskStart(payload: unknown): payload is TaskStart {
  return !!payload && typeof payload === "object" && "triggers" in payload && "id" in payload;
}

function hasId(payload: unknown): payload is { id: string } {
  return !!payload && typeof payload === "object" && typeof (payload as { id?: unknown }).id === "string";
}
