// A hand-written SVG of the soak: resident memory against time, one solid line per system (all
// its processes) and a dashed one per process name when a system has several (ours: node, temporal).
import type { SoakResult } from "../soak.ts";
import type { SystemName } from "../systems/system.ts";
import { COLORS } from "./chart.ts";

const SIZE = { width: 640, height: 320, left: 60, right: 110, top: 30, bottom: 40 };

/** Dash patterns of the per-process lines, in the order of the names. */
const DASHES = ["6 3", "2 2", "8 2 2 2"];

interface Line {
  label: string;
  color: string;
  /** Undefined: solid. */
  dash: string | undefined;
  points: Array<{ seconds: number; mb: number }>;
}

function linesOf(soak: SoakResult): Line[] {
  const lines: Line[] = [];
  for (const [system, series] of Object.entries(soak.bySystem) as Array<[SystemName, NonNullable<SoakResult["bySystem"][SystemName]>]>) {
    const color = COLORS[system];
    lines.push({ label: system, color, dash: undefined, points: series.samples.map((s) => ({ seconds: s.seconds, mb: s.rssBytes / 2 ** 20 })) });
    const names = [...new Set(series.samples.flatMap((s) => Object.keys(s.rssBytesByName)))];
    if (names.length < 2) continue;
    names.forEach((name, i) => {
      const points = series.samples.map((s) => ({ seconds: s.seconds, mb: (s.rssBytesByName[name] ?? 0) / 2 ** 20 }));
      lines.push({ label: `${system}: ${name}`, color, dash: DASHES[i % DASHES.length], points });
    });
  }
  return lines;
}

/** A round step giving about five gridlines up to `max`. */
function step(max: number): number {
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
}

export function renderSoakChart(soak: SoakResult): string {
  const lines = linesOf(soak);
  const maxMb = Math.max(1, ...lines.flatMap((l) => l.points.map((p) => p.mb)));
  const yStep = step(maxMb);
  const yMax = Math.ceil(maxMb / yStep) * yStep;
  const xMax = soak.minutes * 60;
  const plotWidth = SIZE.width - SIZE.left - SIZE.right;
  const plotHeight = SIZE.height - SIZE.top - SIZE.bottom;
  const xOf = (seconds: number) => SIZE.left + (Math.min(seconds, xMax) / xMax) * plotWidth;
  const yOf = (mb: number) => SIZE.top + plotHeight - (mb / yMax) * plotHeight;
  const parts = [
    `<text x="${SIZE.left + plotWidth / 2}" y="18" text-anchor="middle" font-weight="bold">Soak: RSS under ${soak.concurrency} clients (1-node graph)</text>`,
  ];
  for (let mb = 0; mb <= yMax; mb += yStep) {
    parts.push(`<line x1="${SIZE.left}" x2="${SIZE.left + plotWidth}" y1="${yOf(mb)}" y2="${yOf(mb)}" stroke="#ddd"/>`);
    parts.push(`<text x="${SIZE.left - 6}" y="${yOf(mb) + 4}" text-anchor="end">${mb}</text>`);
  }
  for (let minute = 0; minute <= soak.minutes; minute += Math.max(1, Math.round(soak.minutes / 10))) {
    parts.push(`<text x="${xOf(minute * 60)}" y="${SIZE.top + plotHeight + 16}" text-anchor="middle">${minute}</text>`);
  }
  parts.push(`<text x="${SIZE.left + plotWidth / 2}" y="${SIZE.height - 6}" text-anchor="middle">minutes</text>`);
  parts.push(`<text transform="translate(16,${SIZE.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">RSS (MB)</text>`);
  lines.forEach((line, i) => {
    const points = line.points.map((p) => `${xOf(p.seconds).toFixed(1)},${yOf(p.mb).toFixed(1)}`).join(" ");
    const dash = line.dash ? ` stroke-dasharray="${line.dash}"` : "";
    parts.push(`<polyline fill="none" stroke="${line.color}" stroke-width="${line.dash ? 1.5 : 2}"${dash} points="${points}"/>`);
    const y = SIZE.top + 10 + i * 16;
    const x = SIZE.left + plotWidth + 10;
    parts.push(`<line x1="${x}" x2="${x + 18}" y1="${y - 4}" y2="${y - 4}" stroke="${line.color}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${x + 22}" y="${y}">${line.label}</text>`);
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE.width}" height="${SIZE.height}" viewBox="0 0 ${SIZE.width} ${SIZE.height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...parts,
    `</svg>`,
    "",
  ].join("\n");
}
