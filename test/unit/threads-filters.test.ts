import { describe, expect, it } from "vitest";
import { jsonContains } from "../../src/storage/json-containment.ts";
import { beforeCheckpointId } from "../../src/threads/thread-state-service.ts";

// Thread search filters follow jsonb `@>` (spec §3.4 search: metadata and values containment).
describe("jsonContains", () => {
  it.each([
    [{ a: 1, b: 2 }, { a: 1 }, true],
    [{ a: 1 }, { a: 2 }, false],
    [{ a: 1 }, { b: 1 }, false],
    [{ a: { b: 1, c: 2 } }, { a: { b: 1 } }, true],
    [{ a: { b: 1 } }, { a: { b: 1, c: 2 } }, false],
    [{ tags: ["x", "y"] }, { tags: ["y"] }, true],
    [{ tags: ["x"] }, { tags: ["y"] }, false],
    [{ items: [{ id: 1, n: "a" }, { id: 2 }] }, { items: [{ id: 1 }] }, true],
    [{ a: null }, { a: null }, true],
    [{}, { a: null }, false],
    [{ a: "1" }, { a: 1 }, false],
    [{ a: [1] }, { a: 1 }, false],
    [{ a: 1 }, {}, true],
    [null, {}, false],
  ] as const)("%o ⊇ %o is %s", (haystack, needle, expected) => {
    expect(jsonContains(haystack, needle)).toBe(expected);
  });
});

// `before` of POST /history: a checkpoint id, or an object with one (spec §3.4).
describe("beforeCheckpointId", () => {
  it.each([
    ["c1", "c1"],
    ["", undefined],
    [{ checkpoint_id: "c2" }, "c2"],
    [{ configurable: { checkpoint_id: "c3" } }, "c3"],
    [{ configurable: {} }, undefined],
    [null, undefined],
    [undefined, undefined],
  ] as const)("%o → %s", (before, expected) => {
    expect(beforeCheckpointId(before)).toBe(expected);
  });
});
