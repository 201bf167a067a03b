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

const COLUMNS = [
  ["scenario", "scenario"],
  ["faults injected", "faults"],
  ["runs started", "runsStarted"],
  ["runs finished", "runsFinished"],
  ["runs lost", "runsLost"],
  ["duplicate step executions", "duplicateSteps"],
  ["steps retried after a fault", "retriedSteps"],
] as const;

function summaryTable(records: FaultRecord[]): string {
  const total: FaultRecord = {
    scenario: "TOTAL",
    faults: 0,
    runsStarted: 0,
    runsFinished: 0,
    runsLost: 0,
    duplicateSteps: 0,
    retriedSteps: 0,
  };
  for (const record of records) {
    for (const [, key] of COLUMNS) if (key !== "scenario") total[key] += record[key];
  }
  const rows = [COLUMNS.map(([title]) => title), ...[...records, total].map((r) => COLUMNS.map(([, key]) => String(r[key])))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? ":" : "") + "-".repeat(w + 1) + (i === 0 ? "" : ":")).join("|")}|`;
  return ["fault suite summary", line(rows[0]!), rule, ...rows.slice(1).map(line)].join("\n");
}
