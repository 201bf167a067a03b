// What the adoption test does with a server through the official SDK: the background-run
// walkthrough on the project's ReAct agent and a human-in-the-loop resume on its approval
// graph. It returns the final states, with the ids each server makes up removed, so that ours
// and the reference's can be compared.
import type { Client } from "@langchain/langgraph-sdk";
import { expect } from "vitest";

type Message = Record<string, unknown>;

export interface FinalStates {
  agent: { messages: Message[] };
  /** The interrupt the approval graph raised, and the node it stopped before. */
  asked: { next: string[]; value: unknown };
  approval: Record<string, unknown>;
  /**
   * The events of a streamed agent run, by name: `checkpoints` makes our step read a checkpoint
   * with LangGraph's RunControl, `messages` goes through our legacy-messages translation; both
   * are handed the user's LangGraph objects.
   */
  streamed: string[];
}

/** `walkthrough`: also check each step of the walkthrough (create, list, get, join, state). */
export async function finalStates(client: Client, { walkthrough }: { walkthrough: boolean }): Promise<FinalStates> {
  const thread = await client.threads.create({ metadata: { owner: "adoption" } });
  if (walkthrough) {
    expect(await client.runs.list(thread.thread_id)).toEqual([]);
    const found = await client.threads.search({ metadata: { owner: "adoption" } });
    expect(found.map((t) => t.thread_id)).toContain(thread.thread_id);
  }
  const run = await client.runs.create(thread.thread_id, "agent", { input: { messages: [{ role: "user", content: "weather in sf" }] } });
  if (walkthrough) {
    expect(["pending", "running"]).toContain((await client.runs.get(thread.thread_id, run.run_id)).status);
    expect((await client.runs.list(thread.thread_id)).map((r) => r.run_id)).toEqual([run.run_id]);
  }
  await client.runs.join(thread.thread_id, run.run_id);
  expect((await client.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
  const agentState = await client.threads.getState<{ messages: Message[] }>(thread.thread_id);

  const review = await client.threads.create();
  const first = await client.runs.create(review.thread_id, "approval", { input: { topic: "fog" } });
  await client.runs.join(review.thread_id, first.run_id);
  expect((await client.threads.get(review.thread_id)).status).toBe("interrupted");
  const interrupted = await client.threads.getState(review.thread_id);
  const resumed = await client.runs.create(review.thread_id, "approval", { command: { resume: "yes" } });
  await client.runs.join(review.thread_id, resumed.run_id);
  expect((await client.threads.get(review.thread_id)).status).toBe("idle");

  const streamed: string[] = [];
  const input = { messages: [{ role: "user", content: "weather in sf" }] };
  for await (const { event } of client.runs.stream(null, "agent", { input, streamMode: ["values", "checkpoints", "messages"] })) {
    streamed.push(event);
  }

  return {
    streamed,
    agent: { messages: agentState.values.messages.map(({ id: _id, ...message }) => message) },
    asked: { next: interrupted.next, value: interrupted.tasks[0]?.interrupts[0]?.value },
    approval: (await client.threads.getState<Record<string, unknown>>(review.thread_id)).values,
  };
}
