// A user's ReAct agent, as a LangGraph.js project writes it: agent → tools → agent, with a
// scripted chat model (no network) and a search tool. STEP_LOG, when set, names a file the tool
// appends to when it starts and ends (the acceptance test kills a worker in between);
// TOOL_DELAY_MS slows the tool down.
import fs from "node:fs";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { tool } from "@langchain/core/tools";
import { z } from "zod";

const SIGN_OFF = process.env.WEATHER_SIGN_OFF ?? "(no sign-off: .env was not applied)";

function logStep(line: string): void {
  if (process.env.STEP_LOG) fs.appendFileSync(process.env.STEP_LOG, `${line}\n`);
}

const search = tool(
  async ({ query }: { query: string }) => {
    logStep(`start search ${query}`);
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.TOOL_DELAY_MS ?? 0)));
    logStep(`end search ${query}`);
    return /sf|san francisco/i.test(query) ? "It's 60 degrees and foggy." : "It's 90 degrees and sunny.";
  },
  { name: "search", description: "Looks up the weather", schema: z.object({ query: z.string() }) },
);

class ScriptedModel extends BaseChatModel {
  _llmType(): string {
    return "scripted";
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const last = messages[messages.length - 1];
    const message =
      last?.getType() === "tool"
        ? new AIMessage(`${String(last.content)} ${SIGN_OFF}`)
        : new AIMessage({
            content: "",
            tool_calls: [{ name: "search", args: { query: String(last?.content ?? "") }, id: "call_search", type: "tool_call" }],
          });
    return { generations: [{ message, text: String(message.content) }] };
  }
}

const model = new ScriptedModel({});

async function callModel(state: typeof MessagesAnnotation.State) {
  return { messages: [await model.invoke(state.messages)] };
}

function routeAfterModel(state: typeof MessagesAnnotation.State) {
  const last = state.messages[state.messages.length - 1] as AIMessage;
  return last.tool_calls?.length ? "tools" : END;
}

export const graph = new StateGraph(MessagesAnnotation)
  .addNode("agent", callModel)
  .addNode("tools", new ToolNode([search]))
  .addEdge(START, "agent")
  .addConditionalEdges("agent", routeAfterModel, ["tools", END])
  .addEdge("tools", "agent")
  .compile();
