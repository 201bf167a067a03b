// Assistants (spec §3): CRUD, versions, search/count, graph, schemas, subgraphs.
import { describe } from "vitest";
import { differentialFile, scenario } from "./harness.ts";

differentialFile();

describe("assistants", () => {
  scenario("system assistant: get, graph, xray graph", async (t) => {
    await t.call("get by graph id", (c) => c.assistants.get("nested"));
    await t.call("graph", (c) => c.assistants.getGraph("nested"));
    await t.call("graph xray", (c) => c.assistants.getGraph("nested", { xray: true }));
    await t.call("graph of the agent", (c) => c.assistants.getGraph("agent"));
  });

  // Schemas of Annotation graphs and the shape of a subgraph's entry differ on purpose (README):
  // a zod graph's schemas and the subgraphs' namespaces compare.
  scenario("schemas of a zod graph, subgraph namespaces", async (t) => {
    await t.call("schemas, zod state and context", (c) => c.assistants.getSchemas("nested"));
    for (const [label, options] of [["subgraphs", {}], ["recurse", { recurse: true }], ["a namespace", { namespace: "child" }]] as const) {
      t.note(`subgraph namespaces, ${label}`, Object.keys(await t.client.assistants.getSubgraphs("nested", options)));
    }
    t.note("subgraph namespaces of a graph without any", Object.keys(await t.client.assistants.getSubgraphs("steps")));
    await t.call("schemas of a missing assistant", (c) => c.assistants.getSchemas("00000000-0000-4000-8000-000000000000"));
  });

  scenario("create, patch, versions, latest, delete", async (t) => {
    const tag = "assistants-crud";
    const created = await t.call("create", (c) =>
      c.assistants.create({ graphId: "steps", name: "first", metadata: { tag }, config: { configurable: { step_node_ms: 0 } }, description: "d" }),
    );
    await t.call("create again, if_exists do_nothing", (c) =>
      c.assistants.create({ graphId: "steps", assistantId: created.assistant_id, ifExists: "do_nothing", name: "other" }),
    );
    await t.call("create again, if_exists raise", (c) => c.assistants.create({ graphId: "steps", assistantId: created.assistant_id }));
    await t.call("patch", (c) => c.assistants.update(created.assistant_id, { name: "second", metadata: { extra: 1 } }));
    await t.call("versions", (c) => c.assistants.getVersions(created.assistant_id));
    await t.call("versions filtered", (c) => c.assistants.getVersions(created.assistant_id, { metadata: { extra: 1 }, limit: 1 }));
    await t.call("set latest 1", (c) => c.assistants.setLatest(created.assistant_id, 1));
    await t.call("get", (c) => c.assistants.get(created.assistant_id));
    await t.call("set latest 9", (c) => c.assistants.setLatest(created.assistant_id, 9));
    await t.call("search by metadata", (c) => c.assistants.search({ metadata: { tag } }));
    await t.call("count by metadata", (c) => c.assistants.count({ metadata: { tag } }));
    await t.call("delete", (c) => c.assistants.delete(created.assistant_id).then(() => "deleted"));
    await t.call("get deleted", (c) => c.assistants.get(created.assistant_id));
    await t.call("delete again", (c) => c.assistants.delete(created.assistant_id));
  });

  scenario("search: graph id, name, limit, offset, select", async (t) => {
    const tag = "assistants-search";
    for (const name of ["b", "a", "c"]) {
      await t.call(`create ${name}`, (c) => c.assistants.create({ graphId: name === "c" ? "echo" : "steps", name, metadata: { tag } }));
    }
    await t.call("by graph id", (c) => c.assistants.search({ metadata: { tag }, graphId: "steps" }));
    await t.call("by name", (c) => c.assistants.search({ metadata: { tag }, name: "a" }));
    await t.call("limit offset", (c) => c.assistants.search({ metadata: { tag }, limit: 1, offset: 1 }));
    // Only the default order: the oracle ignores sort_by here (README).
    const found = await t.client.assistants.search({ metadata: { tag } });
    t.note("default order", found.map((a) => a.name));
    await t.call("select", (c) => c.assistants.search({ metadata: { tag }, select: ["name", "graph_id"] }));
    await t.call("count by graph", (c) => c.assistants.count({ metadata: { tag }, graphId: "echo" }));
  });
});
