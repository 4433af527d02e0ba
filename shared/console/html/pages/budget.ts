import type { BudgetView } from '../../views/budget';
import { budgetChart } from '../chart';
import { html } from '../html';
import { layout, type PageContext } from '../layout';

export function budgetPage(view: BudgetView, context: PageContext): string {
  const body = view.available
    ? html`
<p>Every Halo request the bridge sent in the last 24 hours, per ${view.bucketMinutes}-minute window (Halo's rolling
window), stacked by flow, against the budget of <strong>${view.limitPerBucket}</strong> requests per window (dashed).
A red mark under a window means Halo answered 429 (too many requests) in it.</p>
<div class="legend">${view.flows.map((flow, i) => html`<span><span class="swatch s${i % 8}"></span>${flow}</span>`)}</div>
${budgetChart(view)}
<p>${view.totals.requests} request(s) in 24 h · busiest window at ${Math.round(view.totals.peakShare * 100)} % of the budget · ${view.totals.throttled} × 429</p>`
    : html`<p class="notice">${view.reason}</p>`;
  return layout('budget', 'Halo budget', context, body);
}
