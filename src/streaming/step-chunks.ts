// Turns the chunks of one step's graph.stream() call into what one uninterrupted
// graph.stream() of the whole run shows at that point (spec §5.9.2).
//
// A step runs one super-step: it continues from the last checkpoint and stops at the
// `interruptAfter: "*"` it passes to each call. Seen from LangGraph 1.7's loop, that leaves
// three marks in a step's chunks that an uninterrupted stream does not have:
//   1. a step that continues the run (step 2 onwards) first replays the current state as a
//      `values` chunk, which the previous step already showed;
//   2. every step ends with `{"__interrupt__": []}` in `updates` and `values`, caused by the
//      per-call interruptAfter;
//   3. the checkpoint a step commits is announced (`checkpoints`, `debug` type checkpoint) only
//      when the loop ticks again, that is at the start of the next call. The next step's
//      announcement is kept; at the run's end the step asks for it (see StepEvents.finish).
//      A step that stops before its nodes (the first step under interrupt_before) announces
//      the input's checkpoint (and `__start__`'s) itself, as the uninterrupted loop does; the
//      next step announces only the checkpoint it starts from again, so the earlier ones
//      always go out (issue 12), that last one only if the run stops here.
// The real interrupts stay: `interrupt()` (non-empty), and the run's own breakpoints at its end.
// Chunks from subgraphs (non-empty namespace) run entirely inside one step and pass as they are.

const INTERRUPT = "__interrupt__";

export interface StepChunk {
  /** Subgraph namespace, `[]` for the run's own graph. */
  namespace: string[];
  /** LangGraph stream mode, or `events` for a streamEvents record. */
  mode: string;
  payload: unknown;
}

export interface StepEnd {
  /** The run stops after this step. */
  stop: boolean;
  /** Nodes scheduled next; empty when the graph is done. */
  next: string[];
  /** The step ran a node named in the run's own `interrupt_after`. */
  interruptAfterHit: boolean;
}

export interface StepTail {
  /** Chunks to emit last, in order. */
  chunks: StepChunk[];
  /** The run ends where an uninterrupted loop announces the checkpoint, and this step did not: fetch it. */
  announceCheckpoint: boolean;
}

export class StepChunkFilter {
  private replayPending: boolean;
  private heldCheckpoints: StepChunk[] = [];
  private heldInterrupts: StepChunk[] = [];
  private heldRunEnd: StepChunk[] = [];
  private interruptedByGraph = false;
  /** Nodes that ran in this step, from its `updates` chunks. */
  readonly nodes = new Set<string>();

  /** `continuesRun`: this is not the run's first step, so the call starts with a replay. */
  constructor(
    private readonly continuesRun: boolean,
    private readonly rootRunId: string,
    /** The step only applies the run's input and stops before any node. */
    private readonly appliesInputOnly = false,
  ) {
    this.replayPending = continuesRun;
  }

  /** The chunks to emit now for one chunk of the step's stream. */
  accept(chunk: StepChunk): StepChunk[] {
    if (chunk.mode === "events") return this.acceptEvent(chunk);
    const interrupts = interruptsOf(chunk);
    if (interrupts && interrupts.length > 0) this.interruptedByGraph = true;
    if (chunk.namespace.length > 0) return this.release(chunk);
    if (chunk.mode === "updates") {
      for (const node of Object.keys(chunk.payload as object)) if (node !== INTERRUPT) this.nodes.add(node);
    }
    if (chunk.mode === "values" && this.replayPending) {
      this.replayPending = false;
      return [];
    }
    if (interrupts?.length === 0) {
      this.heldInterrupts.push(chunk);
      return [];
    }
    if (isCheckpointAnnouncement(chunk)) {
      this.heldCheckpoints.push(chunk);
      return [];
    }
    return this.release(chunk);
  }

  /** What the step's last chunks are, once the step knows whether the run stops here. */
  end({ stop, next, interruptAfterHit }: StepEnd): StepTail {
    // An uninterrupted loop ticks once more after the step's super-step, announcing its
    // checkpoint, unless the graph interrupted itself or the run's interrupt_after stopped it.
    const announces = stop && !this.interruptedByGraph && !interruptAfterHit;
    const breakpoint = stop && next.length > 0 && !this.interruptedByGraph;
    const checkpoints = announces ? this.heldCheckpoints : this.appliesInputOnly ? exceptLastAnnounced(this.heldCheckpoints) : [];
    return {
      chunks: [...checkpoints, ...(breakpoint ? this.heldInterrupts : []), ...(stop ? this.heldRunEnd : [])],
      announceCheckpoint: announces && checkpoints.length === 0,
    };
  }

  /**
   * The step's graph call raised: the checkpoint it announced before running its nodes went
   * out in an uninterrupted loop too, ahead of the error (issue 12).
   */
  failed(): StepChunk[] {
    const out = this.heldCheckpoints;
    this.heldCheckpoints = [];
    return out;
  }

  /** streamEvents records: the run's own graph starts once (first step) and ends once (last step). */
  private acceptEvent(chunk: StepChunk): StepChunk[] {
    const record = chunk.payload as { event: string; run_id: string };
    if (record.run_id === this.rootRunId && record.event === "on_chain_start" && this.continuesRun) return [];
    if (record.run_id === this.rootRunId && record.event === "on_chain_end") {
      this.heldRunEnd = [chunk];
      return [];
    }
    return this.release(chunk);
  }

  /** An announcement followed by more output was not the step's last: it goes out first. */
  private release(chunk: StepChunk): StepChunk[] {
    const out = [...this.heldCheckpoints, chunk];
    this.heldCheckpoints = [];
    return out;
  }
}

function interruptsOf({ mode, payload }: StepChunk): unknown[] | undefined {
  if (mode !== "updates" && mode !== "values") return undefined;
  if (payload === null || typeof payload !== "object" || !(INTERRUPT in payload)) return undefined;
  const interrupts = (payload as Record<string, unknown>)[INTERRUPT];
  return Array.isArray(interrupts) ? interrupts : undefined;
}

function isCheckpointAnnouncement({ mode, payload }: StepChunk): boolean {
  return mode === "checkpoints" || (mode === "debug" && (payload as { type?: string }).type === "checkpoint");
}

/** Announcements of every checkpoint but the last one announced (by step). */
function exceptLastAnnounced(chunks: StepChunk[]): StepChunk[] {
  const stepOf = ({ mode, payload }: StepChunk) =>
    mode === "debug" ? (payload as { step?: number }).step : (payload as { metadata?: { step?: number } }).metadata?.step;
  const last = Math.max(...chunks.map((chunk) => stepOf(chunk) ?? -Infinity));
  return chunks.filter((chunk) => stepOf(chunk) !== last);
}
