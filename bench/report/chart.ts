// A hand-written SVG: throughput (top row) and end-to-end p50 latency (bottom row) against
// client concurrency, one column per workload, one line per system, log-scaled values.
import type { BenchResults } from "../results.ts";
import type { SystemName } from "../systems/system.ts";

export const COLORS: Record<SystemName, string> = { ours: "#1f77b4", peer: "#d62728", floor: "#7f7f7f", "temporal-floor": "#2ca02c" };
const PANEL = { width: 300, height: 210, left: 56, right: 14, top: 30, bottom: 40 };

interface Series {
  system: SystemName;
  points: Array<{ concurrency: number; value: number }>;
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

function decades(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let exponent = Math.floor(Math.log10(min)); exponent <= Math.ceil(Math.log10(max)); exponent++) ticks.push(10 ** exponent);
  return ticks;
}

function formatTick(value: number): string {
  return value >= 1000 ? `${value / 1000}k` : value >= 1 ? String(value) : value.toString();
}

function panel(x0: number, y0: number, title: string, unit: string, concurrencies: number[], series: Series[]): string {
  const values = series.flatMap((s) => s.points.map((p) => p.value)).filter((v) => v > 0 && Number.isFinite(v));
  if (values.length === 0) return "";
  const ticks = decades(Math.min(...values), Math.max(...values));
  const [low, high] = [Math.log10(ticks[0]!), Math.log10(ticks.at(-1)!)];
  const plotWidth = PANEL.width - PANEL.left - PANEL.right;
  const plotHeight = PANEL.height - PANEL.top - PANEL.bottom;
  const xOf = (i: number) => x0 + PANEL.left + (concurrencies.length === 1 ? plotWidth / 2 : (i * plotWidth) / (concurrencies.length - 1));
  const yOf = (v: number) => y0 + PANEL.top + plotHeight - ((Math.log10(v) - low) / Math.max(high - low, 1e-9)) * plotHeight;
  const parts = [`<text x="${x0 + PANEL.width / 2}" y="${y0 + 18}" text-anchor="middle" font-weight="bold">${escape(title)}</text>`];
  for (const tick of ticks) {
    const y = yOf(tick);
    parts.push(`<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.width - PANEL.right}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${x0 + PANEL.left - 6}" y="${y + 4}" text-anchor="end">${formatTick(tick)}</text>`);
  }
  concurrencies.forEach((c, i) => {
    parts.push(`<text x="${xOf(i)}" y="${y0 + PANEL.height - PANEL.bottom + 16}" text-anchor="middle">${c}</text>`);
  });
  parts.push(`<text x="${x0 + PANEL.left + plotWidth / 2}" y="${y0 + PANEL.height - 6}" text-anchor="middle">concurrent clients</text>`);
  parts.push(`<text transform="translate(${x0 + 14},${y0 + PANEL.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escape(unit)}</text>`);
  for (const s of series) {
    const points = s.points
      .filter((p) => p.value > 0 && Number.isFinite(p.value))
      .map((p) => [xOf(concurrencies.indexOf(p.concurrency)), yOf(p.value)] as const);
    if (points.length === 0) continue;
    parts.push(`<polyline fill="none" stroke="${COLORS[s.system]}" stroke-width="2" points="${points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ")}"/>`);
    for (const [x, y] of points) parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="${COLORS[s.system]}"/>`);
  }
  return parts.join("\n");
}

export function renderChart(results: BenchResults): string {
  const concurrencies = results.plan.concurrencies;
  const columns = results.workloads.length;
  const width = columns * PANEL.width;
  const height = 2 * PANEL.height + 40;
  const parts: string[] = [];
  results.workloads.forEach((workload, column) => {
    const seriesOf = (pick: (t: { runsPerSecond: number; e2e: { p50: number } }) => number): Series[] =>
      (Object.keys(COLORS) as SystemName[])
        .filter((system) => workload.bySystem[system])
        .map((system) => ({
          system,
          points: workload.bySystem[system]!.throughput.map((t) => ({ concurrency: t.concurrency, value: pick(t) })),
        }));
    parts.push(panel(column * PANEL.width, 0, `${workload.label}: throughput`, "runs / s", concurrencies, seriesOf((t) => t.runsPerSecond)));
    parts.push(panel(column * PANEL.width, PANEL.height, `${workload.label}: e2e p50`, "ms", concurrencies, seriesOf((t) => t.e2e.p50)));
  });
  const legend = (Object.keys(COLORS) as SystemName[]).map((system, i) => {
    const x = 20 + i * 140;
    const y = height - 16;
    return `<line x1="${x}" x2="${x + 24}" y1="${y - 4}" y2="${y - 4}" stroke="${COLORS[system]}" stroke-width="3"/><text x="${x + 30}" y="${y}">${system}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...parts,
    ...legend,
    `</svg>`,
    "",
  ].join("\n");
}
