// linkedAbort: a controller that follows its sources until released (src/linked-abort.ts).
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { linkedAbort } from "../../src/linked-abort.ts";

describe("linkedAbort", () => {
  it("aborts when any source aborts, with that source's reason", () => {
    const [a, b] = [new AbortController(), new AbortController()];
    const { controller } = linkedAbort([a.signal, b.signal]);
    expect(controller.signal.aborted).toBe(false);
    b.abort("gone");
    expect([controller.signal.aborted, controller.signal.reason]).toEqual([true, "gone"]);
  });

  it("starts aborted when a source already is", () => {
    const a = new AbortController();
    a.abort("early");
    expect(linkedAbort([new AbortController().signal, a.signal]).controller.signal.reason).toBe("early");
  });

  it("leaves nothing on a long-lived source once released, and stops following it", () => {
    const server = new AbortController();
    const links = Array.from({ length: 1000 }, () => linkedAbort([new AbortController().signal, server.signal]));
    expect(getEventListeners(server.signal, "abort")).toHaveLength(1000);
    for (const link of links) link.release();
    expect(getEventListeners(server.signal, "abort")).toHaveLength(0);
    server.abort();
    expect(links.some((link) => link.controller.signal.aborted)).toBe(false);
  });
});
