// Crons over HTTP with the official JS SDK (issue 14, spec §3.7): each cron is a Temporal
// Schedule firing every few seconds (Temporal reads a 7-field cron expression with seconds).
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScheduleNotFoundError } from "@temporalio/client";
import { Client, type Run } from "@langchain/langgraph-sdk";
type CronsCreatePayload = NonNullable<Parameters<Client["crons"]["create"]>[1]>;
import { CronCreate, CronUpdate } from "../../server/schemas/crons.ts";
import { scheduleIdForCron } from "../../workflows/scheduled-shared.ts";
import { eventually } from "../helpers/eventually.ts";
import { apiCaller, MISSING_ID } from "../helpers/http.ts";
import { startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

const call = apiCaller(() => stack.url);
const EVERY_2S = "*/2 * * * * * *";
const hello = (text: string) => ({ messages: [{ role: "user", content: text }] });

async function endedRuns(threadId: string): Promise<Run[]> {
  const runs = await stack.sdk.runs.list(threadId, { limit: 100 });
  return runs.filter((run) => run.status !== "pending" && run.status !== "running");
}

describe("thread crons", () => {
  it("fires runs on the thread, one after the other, until deleted", async () => {
    const thread = await stack.sdk.threads.create();
    const cron = await stack.sdk.crons.createForThread(thread.thread_id, "echo-messages", {
      schedule: EVERY_2S,
      input: hello("tick"),
      metadata: { job: "ticker" },
    });
    expect(cron).toMatchObject({ thread_id: thread.thread_id, schedule: EVERY_2S, enabled: true, metadata: { job: "ticker" } });
    expect(cron.payload).toMatchObject({ input: hello("tick") });
    expect(Date.parse(cron.next_run_date!)).toBeGreaterThan(Date.now() - 1000);

    const runs = await eventually(async () => {
      const ended = await endedRuns(thread.thread_id);
      return ended.length >= 3 ? ended : undefined;
    });
    // Each fire ran on the thread through the runs service: in order, each after the last ended.
    const oldestFirst = [...runs].reverse();
    expect(oldestFirst.every((run) => run.status === "success" && run.assistant_id === cron.assistant_id)).toBe(true);
    for (let i = 1; i < oldestFirst.length; i++) expect(oldestFirst[i]!.created_at >= oldestFirst[i - 1]!.updated_at).toBe(true);
    const state = await stack.sdk.threads.getState<{ messages: Array<{ content: string }> }>(thread.thread_id);
    expect(state.values.messages.filter((m) => m.content === "tick").length).toBeGreaterThanOrEqual(3);

    await stack.sdk.crons.delete(cron.cron_id);
    expect((await call("GET", `/runs/crons/${cron.cron_id}`)).status).toBe(404);
    await expect(stack.api.client.schedule.getHandle(scheduleIdForCron(cron.cron_id)).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    // Delete stops it: after a fire still in flight ends, no new run comes.
    await sleep(1500);
    const after = (await stack.sdk.runs.list(thread.thread_id, { limit: 100 })).length;
    await sleep(4000);
    expect((await stack.sdk.runs.list(thread.thread_id, { limit: 100 })).length).toBe(after);
  });

  it("changes its schedule and payload on update", async () => {
    const thread = await stack.sdk.threads.create();
    const cron = await stack.sdk.crons.createForThread(thread.thread_id, "echo-messages", { schedule: "0 0 1 1 *", input: hello("before") });
    expect(Date.parse(cron.next_run_date!) - Date.now()).toBeGreaterThan(60_000);
    expect(await stack.sdk.runs.list(thread.thread_id)).toEqual([]);

    const updated = await stack.sdk.crons.update(cron.cron_id, { schedule: EVERY_2S, input: hello("after"), metadata: { v: 2 } });
    expect(updated).toMatchObject({ cron_id: cron.cron_id, schedule: EVERY_2S, metadata: { v: 2 }, payload: { input: hello("after") } });
    expect(Date.parse(updated.next_run_date!) - Date.now()).toBeLessThan(5000);

    const [run] = await eventually(async () => {
      const ended = await endedRuns(thread.thread_id);
      return ended.length > 0 ? ended : undefined;
    });
    expect((run as Run & { kwargs: { input: unknown } }).kwargs.input).toEqual(hello("after"));
    // enabled: false pauses the Schedule; nothing fires until it is enabled again.
    const paused = await stack.sdk.crons.update(cron.cron_id, { enabled: false });
    expect(paused.enabled).toBe(false);
    const description = await stack.api.client.schedule.getHandle(scheduleIdForCron(cron.cron_id)).describe();
    expect(description.state.paused).toBe(true);
    // The documented catch-up window, and the overlap of the default strategy (reject).
    expect(description.policies).toMatchObject({ catchupWindow: 60_000, overlap: "SKIP" });
    await stack.sdk.crons.delete(cron.cron_id);
  });

  it("stops firing at end_time", async () => {
    const thread = await stack.sdk.threads.create();
    const cron = await stack.sdk.crons.createForThread(thread.thread_id, "echo-messages", {
      schedule: "* * * * * * *",
      input: hello("until"),
      endTime: new Date(Date.now() + 3000).toISOString(),
    });
    await sleep(6000);
    const count = (await stack.sdk.runs.list(thread.thread_id, { limit: 100 })).length;
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(4);
    await sleep(3000);
    expect((await stack.sdk.runs.list(thread.thread_id, { limit: 100 })).length).toBe(count);
    expect((await call("GET", `/runs/crons/${cron.cron_id}`)).body).toMatchObject({ next_run_date: null });
  });

  it("pauses, resumes and triggers from Temporal as the Web UI does it", async () => {
    const thread = await stack.sdk.threads.create();
    const cron = await stack.sdk.crons.createForThread(thread.thread_id, "echo-messages", { schedule: "0 0 1 1 *", input: hello("now") });
    const schedule = stack.api.client.schedule.getHandle(scheduleIdForCron(cron.cron_id));

    // Trigger: one run now, through the same path as a scheduled fire.
    await schedule.trigger();
    const [run] = await eventually(async () => {
      const ended = await endedRuns(thread.thread_id);
      return ended.length > 0 ? ended : undefined;
    });
    expect(run).toMatchObject({ status: "success", assistant_id: cron.assistant_id });

    // Pause: the API reports the cron disabled (a GET asks Temporal; the stored record follows,
    // which searches read); unpause: enabled again.
    await schedule.pause("paused in the Web UI");
    expect((await call("GET", `/runs/crons/${cron.cron_id}`)).body).toMatchObject({ enabled: false });
    expect(await stack.sdk.crons.search({ threadId: thread.thread_id })).toMatchObject([{ enabled: false }]);
    await schedule.unpause();
    expect((await call("GET", `/runs/crons/${cron.cron_id}`)).body).toMatchObject({ enabled: true });
    await stack.sdk.crons.delete(cron.cron_id);
  });

  it("goes with its thread", async () => {
    const thread = await stack.sdk.threads.create();
    const cron = await stack.sdk.crons.createForThread(thread.thread_id, "echo-messages", { schedule: "0 0 1 1 *", input: hello("x") });
    await stack.sdk.threads.delete(thread.thread_id);
    expect((await call("GET", `/runs/crons/${cron.cron_id}`)).status).toBe(404);
    await expect(stack.api.client.schedule.getHandle(scheduleIdForCron(cron.cron_id)).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });

  it("goes with its assistant", async () => {
    const assistant = await stack.sdk.assistants.create({ graphId: "echo-messages" });
    const cron = await stack.sdk.crons.create(assistant.assistant_id, { schedule: "0 0 1 1 *", input: hello("x") });
    await stack.sdk.assistants.delete(assistant.assistant_id);
    expect((await call("GET", `/runs/crons/${cron.cron_id}`)).status).toBe(404);
  });
});

describe("stateless crons", () => {
  it("leaves no threads with on_run_completed delete, and keeps them with keep", { timeout: 120_000 }, async () => {
    const marker = `cron-${Date.now()}`;
    const deleting = await stack.sdk.crons.create("echo-messages", { schedule: EVERY_2S, input: hello("x"), metadata: { marker } });
    expect(deleting).toMatchObject({ thread_id: null, on_run_completed: "delete" });
    const keeping = await stack.sdk.crons.create("echo-messages", { schedule: EVERY_2S, input: hello("y"), metadata: { marker: `${marker}-keep` }, onRunCompleted: "keep" });

    let deletingSeen = 0;
    const kept = await eventually(async () => {
      deletingSeen = Math.max(deletingSeen, await stack.sdk.threads.count({ metadata: { marker } }));
      const threads = await stack.sdk.threads.search({ metadata: { marker: `${marker}-keep` }, limit: 100 });
      return threads.filter((t) => t.status === "idle").length >= 2 ? threads : undefined;
    });
    expect(kept[0]!.values).toMatchObject({ messages: expect.arrayContaining([expect.objectContaining({ content: "y" })]) });
    await stack.sdk.crons.delete(deleting.cron_id);
    await stack.sdk.crons.delete(keeping.cron_id);
    expect(deletingSeen).toBeGreaterThan(0);
    // The deleting cron fired as often; its threads go 30 s after their runs end (the grace
    // period in which a waiting client can still read a stateless run's result).
    await eventually(async () => ((await stack.sdk.threads.count({ metadata: { marker } })) === 0 ? true : undefined), 60_000);
  });
});

describe("search, count, get and errors", () => {
  it("filters by assistant, thread and metadata, sorts and pages", async () => {
    const assistant = await stack.sdk.assistants.create({ graphId: "echo-messages" });
    const thread = await stack.sdk.threads.create();
    const tag = `search-${Date.now()}`;
    const made: Array<{ cron_id: string }> = [];
    for (let i = 0; i < 3; i++) {
      made.push(await stack.sdk.crons.createForThread(thread.thread_id, assistant.assistant_id, { schedule: "0 0 1 1 *", metadata: { tag, i } }));
    }
    made.push(await stack.sdk.crons.create(assistant.assistant_id, { schedule: "0 0 1 1 *", metadata: { tag } }));

    expect(await stack.sdk.crons.count({ assistantId: assistant.assistant_id })).toBe(4);
    expect(await stack.sdk.crons.count({ threadId: thread.thread_id })).toBe(3);
    expect(await stack.sdk.crons.count({ metadata: { tag, i: 1 } })).toBe(1);
    // A graph id names its system assistant.
    const system = await stack.sdk.crons.create("echo-messages", { schedule: "0 0 1 1 *", metadata: { tag } });
    expect((await stack.sdk.crons.search({ assistantId: "echo-messages", metadata: { tag } })).map((c) => c.cron_id)).toEqual([system.cron_id]);
    await stack.sdk.crons.delete(system.cron_id);

    const page = await stack.sdk.crons.search({ assistantId: assistant.assistant_id, sortBy: "created_at", sortOrder: "asc", limit: 2, offset: 1 });
    expect(page.map((c) => c.cron_id)).toEqual([made[1]!.cron_id, made[2]!.cron_id]);
    const byThread = await stack.sdk.crons.search({ threadId: thread.thread_id, metadata: { i: 2 } });
    expect(byThread.map((c) => c.cron_id)).toEqual([made[2]!.cron_id]);
    const selected = await stack.sdk.crons.search({ assistantId: assistant.assistant_id, select: ["cron_id", "schedule"], limit: 1 });
    expect(Object.keys(selected[0]!).sort()).toEqual(["cron_id", "schedule"]);

    const raw = await call("POST", "/runs/crons/search", { assistant_id: assistant.assistant_id, limit: 2 });
    expect(raw.headers.get("x-pagination-total")).toBe("4");
    expect((await call("GET", `/runs/crons/${made[3]!.cron_id}`)).body).toMatchObject({ cron_id: made[3]!.cron_id, thread_id: null });

    await stack.sdk.assistants.delete(assistant.assistant_id, { deleteThreads: true });
    expect(await stack.sdk.crons.count({ assistantId: assistant.assistant_id })).toBe(0);
  });

  it("answers bad input with a 4xx naming the problem, storing nothing", async () => {
    const thread = await stack.sdk.threads.create();
    const before = await stack.sdk.crons.count({ threadId: thread.thread_id });
    const bad = async (body: object, status: number, detail: RegExp) => {
      const response = await call("POST", `/threads/${thread.thread_id}/runs/crons`, { assistant_id: "echo-messages", ...body });
      expect(response.status).toBe(status);
      expect((response.body as { detail: string }).detail).toMatch(detail);
    };
    await bad({ schedule: "not a cron" }, 422, /schedule/);
    await bad({ schedule: "0 0 1 1 *", timezone: "Mars/Olympus" }, 422, /timezone/);
    await bad({ schedule: "0 0 1 1 *", end_time: "someday" }, 422, /end_time/);
    await bad({}, 422, /schedule/);
    await bad({ schedule: "0 0 1 1 *", assistant_id: "nope" }, 404, /assistant/i);
    expect(await stack.sdk.crons.count({ threadId: thread.thread_id })).toBe(before);
    expect((await call("POST", `/threads/${MISSING_ID}/runs/crons`, { assistant_id: "echo-messages", schedule: "0 0 1 1 *" })).status).toBe(404);
    expect((await call("PATCH", `/runs/crons/${MISSING_ID}`, { schedule: "0 0 1 1 *" })).status).toBe(404);
    expect((await call("DELETE", `/runs/crons/${MISSING_ID}`)).status).toBe(404);
  });

  it("declares every field the SDK sends on create and update", async () => {
    const sent: Record<string, unknown>[] = [];
    const client = new Client({
      apiUrl: stack.url,
      onRequest: (_url, init) => {
        if (typeof init.body === "string") sent.push(JSON.parse(init.body) as Record<string, unknown>);
        return init;
      },
    });
    const every: CronsCreatePayload = {
      schedule: "0 0 1 1 *", input: {}, config: { tags: ["t"] }, context: { a: 1 }, metadata: { m: 1 }, interruptBefore: [], interruptAfter: [],
      webhook: "https://example.com/hook", multitaskStrategy: "enqueue", checkpointDuring: true, durability: "sync", enabled: false,
      timezone: "UTC", streamMode: ["values"], streamSubgraphs: true, streamResumable: true, endTime: "2099-01-01T00:00:00Z",
    };
    const thread = await client.threads.create();
    const cron = await client.crons.createForThread(thread.thread_id, "echo-messages", every);
    const stateless = await client.crons.create("echo-messages", { ...every, onRunCompleted: "keep" });
    await client.crons.update(cron.cron_id, { ...every, endTime: null, onRunCompleted: "keep" });
    const [forThread, statelessBody, update] = sent.slice(-3);
    const undeclared = (body: Record<string, unknown>, schema: { properties: object }) => Object.keys(body).filter((key) => !(key in schema.properties));
    expect(undeclared(forThread!, CronCreate)).toEqual([]);
    expect(undeclared(statelessBody!, CronCreate)).toEqual([]);
    expect(undeclared(update!, CronUpdate)).toEqual([]);
    expect(Object.keys(forThread!).length).toBeGreaterThanOrEqual(17);
    expect(cron).toMatchObject({ enabled: false, timezone: "UTC", end_time: "2099-01-01T00:00:00.000Z", payload: { webhook: "https://example.com/hook", durability: "sync" } });
    const { policies } = await stack.api.client.schedule.getHandle(scheduleIdForCron(cron.cron_id)).describe();
    expect(policies.overlap).toBe("BUFFER_ALL");
    await client.crons.delete(cron.cron_id);
    await client.crons.delete(stateless.cron_id);
  });

  it("reports crons in /info", async () => {
    expect((await call("GET", "/info")).body).toMatchObject({ flags: { crons: true } });
  });
});
