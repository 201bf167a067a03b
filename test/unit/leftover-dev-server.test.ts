// Which process a `dev` may stop as the Temporal server an earlier `dev` left running: pids
// are reused, so only that server, keeping its history in this data folder's file, qualifies.
import { expect, it } from "vitest";
import { servesHistoryIn } from "../../src/temporal/leftover-dev-server.ts";

const DB = "/data/app/temporal.sqlite";
const server = (db: string) => ["/cache/temporal", "server", "start-dev", "--ip", "127.0.0.1", "--port", "7233", "--db-filename", db, "--log-level", "error"];

it("recognizes the dev server keeping this folder's history", () => {
  expect(servesHistoryIn(server(DB), DB)).toBe(true);
});

it("leaves alone a dev server of another folder, another program that took the pid, and a process gone", () => {
  expect(servesHistoryIn(server("/data/other/temporal.sqlite"), DB)).toBe(false);
  expect(servesHistoryIn(["/usr/bin/vim", "--db-filename", DB], DB)).toBe(false);
  expect(servesHistoryIn(["/cache/temporal", "server", "start-dev", "--headless"], DB)).toBe(false);
  expect(servesHistoryIn([], DB)).toBe(false);
});
