import { Client } from "@langchain/langgraph-sdk";
const client = new Client({ apiUrl: "http://127.0.0.1:12024" });
for (const g of ["one_node", "steps5", "agent"]) {
  const times: number[] = []; const creates: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = await client.threads.create();
    const t0 = performance.now();
    const run = await client.runs.create(t.thread_id, g, { input: g === "steps5" ? {} : { messages: [{ role: "user", content: "what's the weather in sf" }] } });
    const t1 = performance.now();
    const res = await client.runs.join(t.thread_id, run.run_id);
    const t2 = performance.now();
    creates.push(t1 - t0); times.push(t2 - t0);
    if (i === 0) console.log(JSON.stringify(res).slice(0, 200));
  }
  console.log(g, "create", creates.map(Math.round).join(" "), "\n e2e", times.map(Math.round).join(" "));
}
