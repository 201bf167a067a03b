import { describe, expect, it } from "vitest";
import type { Assistant } from "../../src/api-types.ts";
import { applyChanges, restoreVersion, versionOf } from "../../src/assistants/assistant-changes.ts";

const current: Assistant = {
  assistant_id: "0196f0a0-0000-7000-8000-000000000001",
  graph_id: "agent",
  name: "bot",
  description: "helps",
  config: { configurable: { model: "a", temperature: 1 } },
  context: { user: "ann" },
  metadata: { keep: 1, change: "old" },
  version: 2,
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-02T00:00:00.000Z",
};
const LATER = "2026-01-03T00:00:00.000Z";

// PATCH /assistants/{id} (spec §3.3): given fields replace, metadata merges, a new version.
describe("applyChanges", () => {
  it("keeps everything but version and updated_at when nothing is given", () => {
    expect(applyChanges(current, {}, 3, LATER)).toEqual({ ...current, version: 3, updated_at: LATER });
  });

  it("replaces config and context whole, and merges metadata with the patch winning", () => {
    const next = applyChanges(current, { config: { configurable: { model: "b" } }, context: {}, metadata: { change: "new", added: true } }, 3, LATER);
    expect(next.config).toEqual({ configurable: { model: "b" } });
    expect(next.context).toEqual({});
    expect(next.metadata).toEqual({ keep: 1, change: "new", added: true });
    expect(next.created_at).toBe(current.created_at);
  });

  it("clears the description only for an explicit null", () => {
    expect(applyChanges(current, { description: null }, 3, LATER).description).toBeNull();
    expect(applyChanges(current, { description: undefined }, 3, LATER).description).toBe("helps");
    expect(applyChanges(current, { name: "other", graph_id: "factory" }, 3, LATER)).toMatchObject({ name: "other", graph_id: "factory" });
  });
});

describe("versions", () => {
  it("records a version as created when the assistant last changed", () => {
    const { updated_at: _, ...rest } = current;
    expect(versionOf(current)).toEqual({ ...rest, created_at: current.updated_at });
  });

  it("restores a version's fields, keeping the assistant's creation time", () => {
    const old = versionOf({ ...current, name: "old", version: 1, metadata: { a: 1 }, updated_at: current.created_at });
    expect(restoreVersion(current, old, LATER)).toEqual({
      ...current,
      name: "old",
      version: 1,
      metadata: { a: 1 },
      updated_at: LATER,
    });
  });
});
