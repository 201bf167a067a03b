// Collects what each fault test injected and observed (one JSON line per test in a ledger
// file), and prints the suite's summary table when the run ends.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import type { FaultRecord } from "./ledger.ts";

declare module "vitest" {
  export interface ProvidedContext {
    faultLedger: string;
  }
}

export default function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lgt-faults-"));
  const ledger = path.join(dir, "ledger.jsonl");
  project.provide("faultLedger", ledger);
  return () => {
    const records = fs.existsSync(ledger)
      ? fs.readFileSync(ledger, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as FaultRecord)
      : [];
    console.log(`\n${summaryTable(records)}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

interface Column {
  title: string;
  cell(record: FaultRecord): string;
  /** The TOTAL row's cell. */
  total(records: FaultRecord[]): string;
}

type Count = "faults" | "runsStarted" | "runsFinished" | "runsLost" | "duplicateSteps" | "retriedSteps";

const summed = (title: string, key: Count): Column => ({
  title,
  cell: (record) => String(record[key]),
  total: (records) => String(records.reduce((sum, record) => sum + record[key], 0)),
});

/** A scenario that does not measure the column's figure. */
const NONE = "–";
const seconds = (ms: number) => (ms / 1000).toFixed(2);

const COLUMNS: Column[] = [
  { title: "scenario", cell: (record) => record.scenario, total: () => "TOTAL" },
  summed("faults injected", "faults"),
  summed("runs started", "runsStarted"),
  summed("runs finished", "runsFinished"),
  summed("runs lost", "runsLost"),
  summed("duplicate step executions", "duplicateSteps"),
  summed("steps retried after a fault", "retriedSteps"),
  {
    title: "SIGKILL → step restarted elsewhere (s)",
    cell: (record) => record.recoveryMs?.map(seconds).join(", ") ?? NONE,
    // The slowest recovery of the suite.
    total: (records) => {
      const trials = records.flatMap((record) => record.recoveryMs ?? []);
      return trials.length > 0 ? `max ${seconds(Math.max(...trials))}` : NONE;
    },
  },
  {
    title: "false retries under CPU load",
    cell: (record) => (record.falseRetries === undefined ? NONE : String(record.falseRetries)),
    total: (records) => {
      const measured = records.filter((record) => record.falseRetries !== undefined);
      return measured.length > 0 ? String(measured.reduce((sum, record) => sum + record.falseRetries!, 0)) : NONE;
    },
  },
];

function summaryTable(records: FaultRecord[]): string {
  const rows = [COLUMNS.map((column) => column.title), ...records.map((record) => COLUMNS.map((column) => column.cell(record))), COLUMNS.map((column) => column.total(records))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? ":" : "") + "-".repeat(w + 1) + (i === 0 ? "" : ":")).join("|")}|`;
  return ["fault suite summary", line(rows[0]!), rule, ...rows.slice(1).map(line)].join("\n");
}
