// Writes a run's results: JSON (everything), markdown (the tables), SVG (the charts).
import fs from "node:fs";
import path from "node:path";
import type { BenchResults } from "../results.ts";
import { renderChart } from "./chart.ts";
import { renderMarkdown } from "./markdown.ts";
import { renderSoakChart } from "./soak-chart.ts";

export function writeReport(results: BenchResults, outDir: string): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const files: Record<string, string> = {
    "results.json": JSON.stringify(results, null, 2) + "\n",
    "results.md": renderMarkdown(results),
    "concurrency.svg": renderChart(results),
  };
  if (results.soak && !("error" in results.soak)) files["soak.svg"] = renderSoakChart(results.soak);
  return Object.entries(files).map(([name, content]) => {
    const file = path.join(outDir, name);
    fs.writeFileSync(file, content);
    return file;
  });
}
