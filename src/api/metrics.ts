// Prometheus text exposition, hand-written: request counts and a latency histogram by route and status,
// plus domain counters (decisions, events ingested, webhook deliveries). Label sets are bounded by the routes.

export const latencyBucketsSeconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Labels = Readonly<Record<string, string>>;

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`,
  );
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

interface HistogramSeries {
  readonly labels: Labels;
  readonly buckets: number[];
  sum: number;
  count: number;
}

export class Metrics {
  private readonly counters = new Map<
    string,
    { help: string; series: Map<string, { labels: Labels; value: number }> }
  >();
  private readonly histogram = new Map<string, HistogramSeries>();

  constructor() {
    this.defineCounter("headroom_http_requests_total", "HTTP requests by method, route and status");
    this.defineCounter("headroom_decisions_total", "Limit decisions made through the API, by trigger");
    this.defineCounter(
      "headroom_events_ingested_total",
      "Behaviour events ingested through the API, by outcome",
    );
    this.defineCounter("headroom_webhook_deliveries_total", "Webhook delivery attempts, by outcome");
  }

  private defineCounter(name: string, help: string): void {
    this.counters.set(name, { help, series: new Map() });
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    const counter = this.counters.get(name);
    if (!counter) throw new Error(`unknown metric ${name}`);
    const key = labelText(labels);
    const series = counter.series.get(key);
    if (series) series.value += by;
    else counter.series.set(key, { labels, value: by });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.inc("headroom_http_requests_total", labels);
    const key = labelText(labels);
    let series = this.histogram.get(key);
    if (!series) {
      series = { labels, buckets: latencyBucketsSeconds.map(() => 0), sum: 0, count: 0 };
      this.histogram.set(key, series);
    }
    for (let i = 0; i < latencyBucketsSeconds.length; i++) {
      if (seconds <= (latencyBucketsSeconds[i] as number))
        series.buckets[i] = (series.buckets[i] as number) + 1;
    }
    series.sum += seconds;
    series.count += 1;
  }

  /** The exposition text (format 0.0.4). */
  render(): string {
    const out: string[] = [];
    for (const [name, counter] of this.counters) {
      out.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`);
      for (const s of counter.series.values()) out.push(`${name}${labelText(s.labels)} ${s.value}`);
    }
    const h = "headroom_http_request_duration_seconds";
    out.push(`# HELP ${h} HTTP request latency by method, route and status`, `# TYPE ${h} histogram`);
    for (const s of this.histogram.values()) {
      latencyBucketsSeconds.forEach((le, i) => {
        out.push(`${h}_bucket${labelText({ ...s.labels, le: String(le) })} ${s.buckets[i]}`);
      });
      out.push(`${h}_bucket${labelText({ ...s.labels, le: "+Inf" })} ${s.count}`);
      out.push(`${h}_sum${labelText(s.labels)} ${s.sum}`);
      out.push(`${h}_count${labelText(s.labels)} ${s.count}`);
    }
    return `${out.join("\n")}\n`;
  }
}
