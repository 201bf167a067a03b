// A chat model that follows a script instead of calling a provider: the first turn asks the
// search tool for the weather in the city the user named, the next turn summarises the tool's
// answer. It decides from the conversation alone, so a retried step answers the same way.
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";

export class ScriptedChatModel extends BaseChatModel {
  _llmType(): string {
    return "scripted";
  }

  /** Tools are named in the script; binding them changes nothing. */
  override bindTools(): this {
    return this;
  }

  private reply(messages: BaseMessage[]): AIMessage {
    const last = messages.at(-1);
    if (last?.getType() === "tool") {
      return new AIMessage({ content: `${String(last.content)} (from the search tool)` });
    }
    const question = String(last?.content ?? "");
    const city = /weather in ([\w .'-]+?)\??$/i.exec(question.trim())?.[1] ?? question;
    const callNumber = messages.filter((m) => m.getType() === "ai").length + 1;
    return new AIMessage({
      content: "",
      tool_calls: [{ name: "search", args: { query: `weather in ${city}` }, id: `call_${callNumber}`, type: "tool_call" }],
    });
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const message = this.reply(messages);
    return { generations: [{ message, text: String(message.content) }] };
  }

  /** Streams the text word by word, as a provider streams tokens. */
  override async *_streamResponseChunks(
    messages: BaseMessage[],
    _options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const message = this.reply(messages);
    const text = String(message.content);
    const words = text === "" ? [""] : text.split(/(?<= )/);
    for (const [index, word] of words.entries()) {
      const chunk = new ChatGenerationChunk({
        text: word,
        message: new AIMessageChunk({
          content: word,
          tool_call_chunks:
            index === 0
              ? message.tool_calls?.map((call, i) => ({ ...call, args: JSON.stringify(call.args), index: i, type: "tool_call_chunk" as const }))
              : undefined,
        }),
      });
      yield chunk;
      // With the chunk, LangGraph's `messages` stream carries it whole (id, tool call chunks).
      await runManager?.handleLLMNewToken(word, undefined, undefined, undefined, undefined, { chunk });
    }
  }
}
