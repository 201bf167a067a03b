import { Client } from "@langchain/langgraph-sdk";
const [url, n, graph] = [process.argv[2], Number(process.argv[3] ?? 100), process.argv[4] ?? "one_node"];
const sdk = new Client({ apiUrl: url });
const t = [];
for (let i = 0; i < n; i++) {
  const th = await sdk.threads.create();
  const s = performance.now();
  const r = await sdk.runs.create(th.thread_id, graph, { input: graph === "one_node" ? { messages: [{ role: "user", content: "hi" }] } : {} });
  await sdk.runs.join(th.thread_id, r.run_id);
  t.push(performance.now() - s);
}
t.sort((a, b) => a - b);
console.log("p50", t[Math.floor(t.length / 2)].toFixed(1), "p90", t[Math.floor(t.length * 0.9)].toFixed(1));
