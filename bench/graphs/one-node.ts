// The smallest useful run: one node that answers the conversation with one message.
import { MessagesAnnotation, StateGraph } from "@langchain/langgraph";

export const graph = new StateGraph(MessagesAnnotation)
  .addNode("reply", () => ({ messages: [{ role: "ai", content: "ok" }] }))
  .addEdge("__start__", "reply")
  .compile();
