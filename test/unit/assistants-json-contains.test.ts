import { describe, expect, it } from "vitest";
import { jsonContains } from "../../src/storage/json-containment.ts";

// Metadata filters match as PostgreSQL's jsonb `@>` (spec §3.3 "containment").
describe("jsonContains", () => {
  const metadata = { team: "core", owner: { id: 1, name: "ann" }, tags: ["a", "b"], rank: 0, gone: null };

  it.each([
    [{}, true],
    [{ team: "core" }, true],
    [{ team: "edge" }, false],
    [{ owner: { id: 1 } }, true],
    [{ owner: { id: "1" } }, false],
    [{ owner: {} }, true],
    [{ owner: "ann" }, false],
    [{ tags: ["b"] }, true],
    [{ tags: ["b", "a", "a"] }, true],
    [{ tags: ["c"] }, false],
    [{ tags: "a" }, false],
    [{ rank: 0 }, true],
    [{ rank: false }, false],
    [{ gone: null }, true],
    [{ missing: null }, false],
    [{ team: "core", owner: { name: "ann" }, tags: [] }, true],
  ])("%o → %s", (filter, expected) => {
    expect(jsonContains(metadata, filter)).toBe(expected);
  });

  it("matches objects inside arrays by containment", () => {
    expect(jsonContains({ people: [{ id: 1, role: "x" }, { id: 2 }] }, { people: [{ id: 1 }] })).toBe(true);
    expect(jsonContains({ people: [{ id: 1, role: "x" }] }, { people: [{ id: 1, role: "y" }] })).toBe(false);
  });

  it("does not take inherited keys for present ones", () => {
    expect(jsonContains({}, { toString: {} })).toBe(false);
  });
});
