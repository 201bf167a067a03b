// A small Prometheus registry rendered in the text exposition format (version 0.0.4), for the
// API's and the worker's /metrics (issue 16). Counters, gauges and histograms with labels:
// all our metrics need, without a client library.
export type Labels = Record<string, string>;

type Kind = "counter" | "gauge" | "histogram";

/** Seconds: from a fast API call to a long LangGraph step. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

interface Series {
  labels: Labels;
  value: number;
  /** Histograms: cumulative counts per bucket, and the sum of observations. */
  buckets?: number[];
  sum?: number;
}

class Metric {
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly kind: Kind,
    private readonly bucketBounds: number[] = DURATION_BUCKETS,
  ) {}

  private at(labels: Labels): Series {
    const key = JSON.stringify(Object.entries(labels).sort());
    let series = this.series.get(key);
    if (!series) {
      series = { labels, value: 0, ...(this.kind === "histogram" ? { buckets: this.bucketBounds.map(() => 0), sum: 0 } : {}) };
      this.series.set(key, series);
    }
    return series;
  }

  /** Counters and gauges. */
  add(labels: Labels = {}, amount = 1): void {
    this.at(labels).value += amount;
  }

  /** Histograms: one observation. */
  observe(labels: Labels, value: number): void {
    const series = this.at(labels);
    series.value += 1;
    series.sum! += value;
    this.bucketBounds.forEach((bound, i) => {
      if (value <= bound) series.buckets![i]! += 1;
    });
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.kind}`];
    for (const s of this.series.values()) {
      if (this.kind !== "histogram") {
        lines.push(`${this.name}${labelText(s.labels)} ${s.value}`);
        continue;
      }
      this.bucketBounds.forEach((bound, i) => lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(bound) })} ${s.buckets![i]}`));
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: "+Inf" })} ${s.value}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`, `${this.name}_count${labelText(s.labels)} ${s.value}`);
    }
    return lines;
  }
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`);
  return pairs.length ? `{${pairs.join(",")}}` : "";
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];

  private define(name: string, help: string, kind: Kind): Metric {
    const metric = new Metric(name, help, kind);
    this.metrics.push(metric);
    return metric;
  }

  counter(name: string, help: string): Metric {
    return this.define(name, help, "counter");
  }

  gauge(name: string, help: string): Metric {
    return this.define(name, help, "gauge");
  }

  histogram(name: string, help: string): Metric {
    return this.define(name, help, "histogram");
  }

  render(): string {
    return `${this.metrics.flatMap((m) => m.render()).join("\n")}\n`;
  }
}
