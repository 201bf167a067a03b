// A user's ReAct agent, as a LangGraph.js project writes it: agent → tools → agent, with a
// scripted chat model (no network) and a search tool. STEP_LOG, when set, names a file the tool
// appends to when it starts and ends (the acceptance test kills a worker in between);
// TOOL_DELAY_MS slows the tool down.
import fs from "node:fs";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
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

  private reply(messages: BaseMessage[]): AIMessage {
    const last = messages[messages.length - 1];
    return last?.getType() === "tool"
      ? new AIMessage(`${String(last.content)} ${SIGN_OFF}`)
      : new AIMessage({
          content: "",
          tool_calls: [{ name: "search", args: { query: String(last?.content ?? "") }, id: "call_search", type: "tool_call" }],
        });
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const message = this.reply(messages);
    return { generations: [{ message, text: String(message.content) }] };
  }

  /** Streams the answer word by word, as a provider streams tokens. */
  override async *_streamResponseChunks(
    messages: BaseMessage[],
    _options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const message = this.reply(messages);
    const text = String(message.content);
    const words = text === "" ? [""] : text.split(/(?<= )/);
    for (const [index, word] of words.entries()) {
      const toolCallChunks = message.tool_calls?.map((call, i) => ({ ...call, args: JSON.stringify(call.args), index: i, type: "tool_call_chunk" as const }));
      const chunk = new ChatGenerationChunk({
        text: word,
        message: new AIMessageChunk({ content: word, tool_call_chunks: index === 0 ? toolCallChunks : undefined }),
      });
      yield chunk;
      await runManager?.handleLLMNewToken(word, undefined, undefined, undefined, undefined, { chunk });
    }
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
