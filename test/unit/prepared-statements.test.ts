// The SQLite connection's statement reuse, on a real in-memory better-sqlite3 database.
import BetterSqlite3 from "better-sqlite3";
import { beforeEach, expect, it } from "vitest";
import { reusePreparedStatements } from "../../src/storage/prepared-statements.ts";

let db: BetterSqlite3.Database;
beforeEach(() => {
  db = new BetterSqlite3(":memory:");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
  reusePreparedStatements(db, 3);
});

it("prepares a SQL text once and answers each caller with its own parameters", () => {
  const insert = db.prepare("INSERT INTO t (id, name) VALUES (?, ?)");
  expect(db.prepare("INSERT INTO t (id, name) VALUES (?, ?)")).toBe(insert);
  db.prepare("INSERT INTO t (id, name) VALUES (?, ?)").run(1, "a");
  db.prepare("INSERT INTO t (id, name) VALUES (?, ?)").run(2, "b");
  expect(db.prepare("SELECT name FROM t WHERE id = ?").get(2)).toEqual({ name: "b" });
  expect(db.prepare("SELECT name FROM t WHERE id = ?").get(1)).toEqual({ name: "a" });
});

it("gives a statement busy in an iteration to nobody else", () => {
  db.exec("INSERT INTO t (id, name) VALUES (1, 'a'), (2, 'b')");
  const sql = "SELECT id FROM t ORDER BY id";
  const outer = db.prepare(sql);
  const seen: Array<[number, number[]]> = [];
  for (const row of outer.iterate() as Iterable<{ id: number }>) {
    const inner = db.prepare(sql);
    expect(inner).not.toBe(outer);
    seen.push([row.id, (inner.all() as Array<{ id: number }>).map((r) => r.id)]);
  }
  expect(seen).toEqual([
    [1, [1, 2]],
    [2, [1, 2]],
  ]);
});

it("keeps only the most recently used statements", () => {
  const first = db.prepare("SELECT 1");
  db.prepare("SELECT 2");
  db.prepare("SELECT 3");
  expect(db.prepare("SELECT 1")).toBe(first); // used again: now the most recent
  db.prepare("SELECT 4"); // pushes out SELECT 2, the least recently used
  expect(db.prepare("SELECT 1")).toBe(first);
  const second = db.prepare("SELECT 2");
  expect(db.prepare("SELECT 2")).toBe(second);
  db.prepare("SELECT 5");
  db.prepare("SELECT 6");
  expect(db.prepare("SELECT 1")).not.toBe(first);
});
