// The run's own interrupt_before / interrupt_after (spec §5.8). The step activity applies them
// itself rather than handing them to LangGraph, whose per-call breakpoints would never fire again
// after the `interruptAfter: "*"` that ends every step; the step's stream uses the same rule.
import type { RunKwargs } from "../api-types.ts";

type Breakpoints = RunKwargs["interrupt_before"];

/** Whether a breakpoint list names one of `nodes` (`*` names every node). */
export function hitsBreakpoint(breakpoints: Breakpoints, nodes: readonly string[]): boolean {
  return nodes.length > 0 && (breakpoints === "*" || (breakpoints ?? []).some((node) => nodes.includes(node)));
}

/** The run stops after a step that ran an interrupt_after node or scheduled an interrupt_before one. */
export function stopsAtBreakpoint(kwargs: Pick<RunKwargs, "interrupt_before" | "interrupt_after">, ranNodes: readonly string[], nextNodes: readonly string[]): boolean {
  return hitsBreakpoint(kwargs.interrupt_after, ranNodes) || hitsBreakpoint(kwargs.interrupt_before, nextNodes);
}
