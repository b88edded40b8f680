import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

export interface Series {
  label: string;
  points: Array<{ x: number; y: number }>;
}

const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563', '#ca8a04'];

/** A line chart over epochs (x numeric), one line per series; redrawn when the series change. */
export function LineChart({ title, series, yLabel, testId }: { title: string; series: Series[]; yLabel: string; testId?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line', Array<{ x: number; y: number }>> | null>(null);
  useEffect(() => {
    chart.current = new Chart(canvas.current!, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        parsing: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { title: { display: false }, legend: { position: 'bottom' } },
        scales: { x: { type: 'linear', title: { display: true, text: 'epoch' } }, y: { title: { display: true, text: yLabel } } },
      },
    });
    return () => chart.current?.destroy();
  }, [yLabel]);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data.datasets = series.map((s, i) => ({
      label: s.label,
      data: s.points,
      borderColor: COLOURS[i % COLOURS.length],
      backgroundColor: COLOURS[i % COLOURS.length],
      pointRadius: s.points.length > 60 ? 0 : 2,
      borderWidth: 1.5,
    }));
    c.update();
  }, [series]);
  return (
    <figure className="chart" data-testid={testId} data-points={series.reduce((n, s) => n + s.points.length, 0)}>
      <figcaption>{title}</figcaption>
      <div className="chart-box">
        <canvas ref={canvas} />
      </div>
    </figure>
  );
}
