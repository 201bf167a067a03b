// Chains of N nodes that each add one to a counter: one super-step per node.
import { Annotation, StateGraph } from "@langchain/langgraph";

const State = Annotation.Root({
  count: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
});

function chain(length: number) {
  const builder = new StateGraph(State);
  let previous = "__start__";
  for (let i = 1; i <= length; i++) {
    const name = `n${i}`;
    builder.addNode(name, () => ({ count: 1 }));
    // addEdge is typed over the node names seen so far; the names here are built at run time.
    (builder as unknown as { addEdge(a: string, b: string): void }).addEdge(previous, name);
    previous = name;
  }
  return builder.compile();
}

export const steps1 = chain(1);
export const steps5 = chain(5);
export const steps20 = chain(20);
