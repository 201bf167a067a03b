// The LangGraph background-run walkthrough (spec §7) with the official JS SDK over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunKwargs } from "../../src/api-types.ts";
import { startStack, type Stack } from "../helpers/stack.ts";

const AGENT_ASSISTANT_ID = "fe096781-5601-53d2-b2f6-0d3403f7e9ca";
const input = { messages: [{ role: "user", content: "what's the weather in sf" }] };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

describe("background run walkthrough", () => {
  it("creates, polls, joins and reads the state of a run", async () => {
    const client = stack.sdk;
    // 1. a new thread is idle and empty
    const thread = await client.threads.create();
    expect(thread).toMatchObject({ metadata: {}, status: "idle", config: {}, values: null });
    expect(thread.thread_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(thread.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // 2. it has no runs
    expect(await client.runs.list(thread.thread_id)).toEqual([]);

    // 3. a background run starts pending, with its kwargs and the default strategy
    let contentLocation: string | null = null;
    const run = await client.runs.create(thread.thread_id, "agent", {
      input,
      onRunCreated: ({ run_id, thread_id }) => {
        contentLocation = `/threads/${thread_id}/runs/${run_id}`;
      },
    });
    expect(run).toMatchObject({ status: "pending", assistant_id: AGENT_ASSISTANT_ID, multitask_strategy: "reject", thread_id: thread.thread_id });
    // The SDK's Run type omits kwargs, which the server sends (spec §4.4).
    const { kwargs } = run as unknown as { kwargs: RunKwargs };
    expect(kwargs.input).toEqual(input);
    expect(kwargs.stream_mode).toEqual(["values"]);
    expect(kwargs.config.configurable).toMatchObject({ run_id: run.run_id, thread_id: thread.thread_id, graph_id: "agent", assistant_id: AGENT_ASSISTANT_ID });
    expect(run.metadata).toMatchObject({ created_by: "system", graph_id: "agent", assistant_id: AGENT_ASSISTANT_ID });
    expect(contentLocation).toBe(`/threads/${thread.thread_id}/runs/${run.run_id}`);

    // 4. while it is in flight it is pending or running, and the thread is busy
    const polled = await client.runs.get(thread.thread_id, run.run_id);
    expect(polled.run_id).toBe(run.run_id);
    expect(["pending", "running", "success"]).toContain(polled.status);

    // 5. join returns the final values
    const joined = (await client.runs.join(thread.thread_id, run.run_id)) as { messages: unknown[] };
    expect(joined.messages).toHaveLength(4);

    // 6. the run succeeded and the thread is idle again, holding the same values
    expect((await client.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
    const after = await client.threads.get(thread.thread_id);
    expect(after.status).toBe("idle");
    expect(after.metadata).toMatchObject({ graph_id: "agent", assistant_id: AGENT_ASSISTANT_ID });

    // 7. the state: human, AI with a tool call, tool, final AI text
    const state = await client.threads.getState(thread.thread_id);
    expect(after.values).toEqual(state.values);
    expect(joined).toEqual(state.values);
    const messages = (state.values as { messages: Array<Record<string, unknown>> }).messages;
    expect(messages.map((m) => m.type)).toEqual(["human", "ai", "tool", "ai"]);
    const toolCalls = messages[1]!.tool_calls as Array<{ name: string; id: string }>;
    expect(toolCalls).toHaveLength(1);
    expect(toolCalls[0]!.name).toBe("search");
    expect(messages[2]!.tool_call_id).toBe(toolCalls[0]!.id);
    expect(messages[3]!.tool_calls ?? []).toEqual([]);
    expect(String(messages[3]!.content)).toContain("San Francisco");
    expect(state.next).toEqual([]);
    expect(state.tasks).toEqual([]);
    expect(state.metadata).toMatchObject({ source: "loop", step: 3, run_id: run.run_id, graph_id: "agent", run_attempt: 1 });
    expect(state.checkpoint.checkpoint_id).toBeTruthy();
    expect(state.parent_checkpoint?.checkpoint_id).toBeTruthy();
    expect(state.parent_checkpoint?.checkpoint_id).not.toBe(state.checkpoint.checkpoint_id);
  });
});
