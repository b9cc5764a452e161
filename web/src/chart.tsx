// One ECharts wrapper for every chart: only the chart types and components the UI uses are registered (keeps
// the bundle small), SVG rendering, ARIA descriptions on, and a label on the figure for screen readers.

import type { BarSeriesOption, LineSeriesOption } from "echarts/charts";
import { BarChart, LineChart } from "echarts/charts";
import type {
  AriaComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
} from "echarts/components";
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from "echarts/components";
import { type ComposeOption, type ECharts, init, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

use([
  BarChart,
  LineChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  SVGRenderer,
]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | AriaComponentOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
>;

export interface ChartProps {
  readonly option: ChartOption;
  /** What the chart shows, for assistive technology (the data is also in an adjacent table or list). */
  readonly label: string;
  readonly height?: number;
  readonly testId?: string;
  /** Called with the data index of a clicked point or bar. */
  readonly onSelect?: (dataIndex: number) => void;
}

export const chartHeightDefaultPx = 240;

export function Chart({ option, label, height = chartHeightDefaultPx, testId, onSelect }: ChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const select = useRef(onSelect);
  select.current = onSelect;

  useEffect(() => {
    const el = element.current;
    if (!el) return;
    const instance = init(el, null, { renderer: "svg" });
    chart.current = instance;
    instance.on("click", (params) => {
      if (typeof params.dataIndex === "number") select.current?.(params.dataIndex);
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, animation: false, ...option }, true);
  }, [option]);

  return (
    <figure className="chart" aria-label={label} data-testid={testId}>
      <div ref={element} style={{ width: "100%", height }} />
    </figure>
  );
}
