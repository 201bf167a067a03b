// Writes a run's results: JSON (everything), markdown (the tables), SVG (the chart).
import fs from "node:fs";
import path from "node:path";
import type { BenchResults } from "../results.ts";
import { renderChart } from "./chart.ts";
import { renderMarkdown } from "./markdown.ts";

export function writeReport(results: BenchResults, outDir: string): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const files = {
    "results.json": JSON.stringify(results, null, 2) + "\n",
    "results.md": renderMarkdown(results),
    "concurrency.svg": renderChart(results),
  };
  return Object.entries(files).map(([name, content]) => {
    const file = path.join(outDir, name);
    fs.writeFileSync(file, content);
    return file;
  });
}
