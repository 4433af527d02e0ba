import type { BudgetView } from '../views/budget';
import { html, type SafeHtml } from './html';

const WIDTH = 960;
const HEIGHT = 260;
const PAD = { left: 44, right: 8, top: 12, bottom: 26 };
const COLOURS = 8;

/**
 * The Halo budget as an SVG chart drawn on the server: a stacked bar per budget window (one colour per flow, one
 * path per flow so the page stays small), the budget as a dashed line, and a red tick under every window with a 429.
 * Styled by class only (the page's policy allows no inline style).
 */
export function budgetChart(view: BudgetView): SafeHtml {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const peak = Math.max(view.limitPerBucket, ...view.buckets.map((b) => b.total), 1);
  const top = niceCeiling(peak * 1.1);
  const x = (i: number) => PAD.left + (i * plotWidth) / Math.max(1, view.buckets.length);
  const y = (value: number) => PAD.top + plotHeight - (value / top) * plotHeight;
  const barWidth = Math.max(1, plotWidth / Math.max(1, view.buckets.length) - 0.6);
  const paths = view.flows.map((flow, f) => {
    let d = '';
    view.buckets.forEach((bucket, i) => {
      const below = view.flows.slice(0, f).reduce((n, other) => n + (bucket.byFlow[other] ?? 0), 0);
      const value = bucket.byFlow[flow] ?? 0;
      if (value <= 0) return;
      const y0 = y(below);
      const y1 = y(below + value);
      d += `M${x(i).toFixed(1)} ${y0.toFixed(1)}h${barWidth.toFixed(1)}V${y1.toFixed(1)}h${(-barWidth).toFixed(1)}Z`;
    });
    return html`<path class="s${f % COLOURS}" d="${d}"><title>${flow}</title></path>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => {
    const value = Math.round(top * share);
    return html`<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}"></line><text x="${PAD.left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${value}</text>`;
  });
  const hours = view.buckets.flatMap((bucket, i) => {
    const start = new Date(bucket.start);
    if (start.getUTCMinutes() !== 0 || start.getUTCHours() % 3 !== 0) return [];
    return [
      html`<text x="${x(i).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle">${String(start.getUTCHours()).padStart(2, '0')}:00</text>`,
    ];
  });
  const throttled = view.buckets.flatMap((bucket, i) =>
    bucket.throttled > 0
      ? [
          html`<rect class="throttled" x="${x(i).toFixed(1)}" y="${PAD.top + plotHeight + 2}" width="${Math.max(2, barWidth).toFixed(1)}" height="5"><title>${bucket.throttled} × 429 at ${bucket.start}</title></rect>`,
        ]
      : [],
  );
  const limitY = y(view.limitPerBucket).toFixed(1);
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Halo requests per ${view.bucketMinutes}-minute window by flow, against the budget of ${view.limitPerBucket}">
${ticks}${paths}
<path class="limit" d="M${PAD.left} ${limitY}H${WIDTH - PAD.right}"><title>budget: ${view.limitPerBucket} per ${view.bucketMinutes} min</title></path>
${throttled}${hours}
</svg>`;
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}
