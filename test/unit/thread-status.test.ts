import { describe, expect, it } from "vitest";
import { threadStatus } from "../../src/runs/thread-status.ts";

// Spec §5.2: the first matching row wins.
describe("threadStatus", () => {
  it.each([
    [{ hasInflightRun: true, lastEndedStatus: "error", hasPendingNext: true }, "busy"],
    [{ hasInflightRun: false, lastEndedStatus: "error", hasPendingNext: false }, "error"],
    [{ hasInflightRun: false, lastEndedStatus: "timeout", hasPendingNext: true }, "error"],
    [{ hasInflightRun: false, lastEndedStatus: "success", hasPendingNext: true }, "interrupted"],
    [{ hasInflightRun: false, lastEndedStatus: "success", hasPendingNext: false }, "idle"],
    [{ hasInflightRun: false, lastEndedStatus: "interrupted", hasPendingNext: true }, "idle"],
    [{ hasInflightRun: false, lastEndedStatus: undefined, hasPendingNext: false }, "idle"],
  ] as const)("%o → %s", (facts, expected) => {
    expect(threadStatus(facts)).toBe(expected);
  });
});
