// The agent of the LangGraph background-run walkthrough: a ReAct loop agent → tools → agent.
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import type { AIMessage } from "@langchain/core/messages";
import { chooseChatModel } from "./model.ts";
import { search } from "./search-tool.ts";

const tools = [search];
const model = (await chooseChatModel()).bindTools!(tools);

async function callModel(state: typeof MessagesAnnotation.State) {
  return { messages: [await model.invoke(state.messages)] };
}

function routeAfterModel(state: typeof MessagesAnnotation.State) {
  const last = state.messages.at(-1) as AIMessage;
  return last.tool_calls?.length ? "tools" : END;
}

export const graph = new StateGraph(MessagesAnnotation)
  .addNode("agent", callModel)
  .addNode("tools", new ToolNode(tools))
  .addEdge(START, "agent")
  .addConditionalEdges("agent", routeAfterModel, ["tools", END])
  .addEdge("tools", "agent")
  .compile();
