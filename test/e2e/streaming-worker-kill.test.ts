// Streams served by this process's API while the runs execute in worker processes: events cross
// from a worker to the API through the database only. A worker SIGKILLed in the middle of a
// streaming step: the step is retried by another worker, the client's stream goes on after a
// `metadata` event for the new attempt, and ends normally, with no event id sent twice.
import { afterAll, beforeAll, expect, it } from "vitest";
import { CHAT_REPLY } from "../fixtures/graphs/streaming.ts";
import { startCli, type CliProcess } from "../helpers/processes.ts";
import { FIXTURES, startStack, type Stack } from "../helpers/stack.ts";

let stack: Stack;
const workers: CliProcess[] = [];

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false, env: { STEP_HEARTBEAT_TIMEOUT_SECONDS: "2" } });
});
afterAll(async () => {
  for (const worker of workers) await worker.kill("SIGKILL");
  await stack?.stop();
});

async function startWorkerProcess(): Promise<CliProcess> {
  const worker = startCli(["worker", "--config", `${FIXTURES}langgraph.json`, "--data-dir", stack.dataDir], stack.env);
  workers.push(worker);
  await worker.waitFor(/worker polling/);
  return worker;
}

interface Part {
  id: string;
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
  at: number;
}

const chat = (threadId: string, tokenMs: number) =>
  stack.sdk.runs.stream(threadId, "chatty", {
    input: { messages: [{ role: "user", content: "hi" }] },
    streamMode: ["values", "updates", "messages-tuple"],
    config: { configurable: { token_ms: tokenMs } },
  }) as AsyncIterable<Omit<Part, "at">>;

const plain = (parts: Part[]) => parts.map(({ id, event, data }) => ({ id, event, data }));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

it("streams a run executed by a worker in another process, token by token", async () => {
  const worker = await startWorkerProcess();
  const thread = await stack.sdk.threads.create();
  const parts: Part[] = [];
  for await (const part of chat(thread.thread_id, 50)) parts.push({ ...part, at: Date.now() });

  const tokens = parts.filter((part) => part.event === "messages");
  expect(tokens.map((part) => part.data[0].content).join("")).toBe(CHAT_REPLY);
  expect(parts.at(-1)).toMatchObject({ event: "values", data: { review: ["checked", "approved"] } });

  // How long an event takes from the worker's append to the client, reading by polling.
  const [run] = await stack.sdk.runs.list(thread.thread_id);
  const stored = await stack.core.storage.runEvents.after(run!.run_id, -1, 1000);
  const delays = parts.map((part) => part.at - Date.parse(stored[Number(part.id)]!.created_at));
  console.log(`worker → API → client latency over ${delays.length} events: median ${percentile(delays, 50)} ms, p95 ${percentile(delays, 95)} ms, max ${Math.max(...delays)} ms`);
  expect(percentile(delays, 95)).toBeLessThan(1000);
  await worker.kill("SIGKILL");
});

it("goes on after its worker is SIGKILLed mid-stream, marking the retried attempt, without duplicate ids", async () => {
  // 1. a worker process streams a reply, 250 ms per token
  const first = await startWorkerProcess();
  const thread = await stack.sdk.threads.create();
  const parts: Part[] = [];
  let killed: Promise<void> | undefined;
  for await (const part of chat(thread.thread_id, 250)) {
    parts.push({ ...part, at: Date.now() });
    // 2. after three tokens, the worker dies; another one starts
    if (!killed && parts.filter((p) => p.event === "messages").length === 3) {
      killed = first.kill("SIGKILL").then(async () => void (await startWorkerProcess()));
    }
  }
  await killed;
  const [run] = await stack.sdk.runs.list(thread.thread_id);

  // 3. the stream ended normally with the run's final state, after a second attempt
  expect(run!.status).toBe("success");
  expect(parts.some((part) => part.event === "error")).toBe(false);
  expect(parts.at(-1)).toMatchObject({ event: "values", data: { review: ["checked", "approved"] } });
  const markers = parts.filter((part) => part.event === "metadata");
  expect(markers.map((part) => part.data.attempt)).toEqual([1, 2]);

  // 4. ids count up from 0 with no gap and none twice
  expect(parts.map((part) => part.id)).toEqual(parts.map((_, index) => String(index)));

  // 5. the first attempt's tokens were sent once, before the marker; the retried step streams
  //    the whole reply after it, and the state holds exactly one reply
  const marker = parts.indexOf(markers[1]!);
  const tokensBefore = parts.slice(0, marker).filter((part) => part.event === "messages");
  const tokensAfter = parts.slice(marker).filter((part) => part.event === "messages");
  expect(tokensBefore.length).toBeGreaterThanOrEqual(3);
  expect(tokensBefore.length).toBeLessThan(CHAT_REPLY.length);
  expect(tokensAfter.map((part) => part.data[0].content).join("")).toBe(CHAT_REPLY);
  expect(parts.at(-1)!.data.messages.map((m: { content: string }) => m.content)).toEqual(["hi", CHAT_REPLY]);

  // 6. a replay of the run is the stream the client got, event for event
  const replay: Part[] = [];
  for await (const part of stack.sdk.runs.joinStream(thread.thread_id, run!.run_id, { lastEventId: "-1" })) {
    replay.push({ ...(part as Omit<Part, "at">), at: 0 });
  }
  expect(plain(replay)).toEqual(plain(parts));
});
