// The agent's chat model: a real provider when its API key is set, the offline script otherwise.
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ScriptedChatModel } from "./scripted-model.ts";

export async function chooseChatModel(env = process.env): Promise<BaseChatModel> {
  if (env.ANTHROPIC_API_KEY) {
    const { ChatAnthropic } = await import("@langchain/anthropic");
    return new ChatAnthropic({ model: env.ANTHROPIC_MODEL ?? "claude-sonnet-4-5" });
  }
  if (env.OPENAI_API_KEY) {
    const { ChatOpenAI } = await import("@langchain/openai");
    return new ChatOpenAI({ model: env.OPENAI_MODEL ?? "gpt-4o-mini" });
  }
  return new ScriptedChatModel({});
}
