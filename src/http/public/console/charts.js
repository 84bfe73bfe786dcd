// A bar chart with uPlot for the reports: categories on x (hours, weekdays, actions), one
// series of values; the same figures are in a table beside it for screen readers.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { html } from './html.js';

export function Bars({ title, labels, values, id, percent = true, width = 620 }) {
  const box = useRef(null);
  useEffect(() => {
    const xs = labels.map((_, i) => i);
    const plot = new uPlot({
      width: Math.min(width, box.current.clientWidth || 600), height: 220, title,
      scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: [0, percent ? 100 : Math.max(1, ...values.map((v) => v ?? 0))] } },
      axes: [{ values: (_, ticks) => ticks.map((i) => labels[i] ?? ''), space: 20 }, { values: (_, ticks) => ticks.map((v) => (percent ? `${v} %` : v)) }],
      series: [{}, { label: title, fill: '#0b4f8a', stroke: '#0b4f8a', paths: uPlot.paths.bars({ size: [0.7] }), points: { show: false } }],
      legend: { show: false },
    }, [xs, values.map((v) => v ?? null)], box.current);
    return () => plot.destroy();
  }, [JSON.stringify(labels), JSON.stringify(values)]);
  return html`<div ref=${box} role="img" aria-label=${title} data-testid=${id}></div>`;
}
