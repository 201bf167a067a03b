// A user's human-in-the-loop graph: write → review (interrupt() asks a person) → publish.
import { Annotation, END, START, StateGraph, interrupt } from "@langchain/langgraph";

const State = Annotation.Root({
  topic: Annotation<string>(),
  draft: Annotation<string>(),
  verdict: Annotation<string>(),
  published: Annotation<string>(),
});

export const graph = new StateGraph(State)
  .addNode("write", (state: typeof State.State) => ({ draft: `A note about ${state.topic}` }))
  .addNode("review", (state: typeof State.State) => ({ verdict: String(interrupt({ question: "publish?", draft: state.draft })) }))
  .addNode("publish", (state: typeof State.State) => ({ published: state.verdict === "yes" ? state.draft : "" }))
  .addEdge(START, "write")
  .addEdge("write", "review")
  .addEdge("review", "publish")
  .addEdge("publish", END)
  .compile();
