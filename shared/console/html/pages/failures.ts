import { CONSOLE_BASE } from '../../assets';
import type { FailuresQuery, FailuresView } from '../../views/failures';
import { when } from '../format';
import { html } from '../html';
import { layout, type PageContext } from '../layout';

export function failuresPage(view: FailuresView, query: FailuresQuery, context: PageContext): string {
  const { now } = context;
  const body = html`
<p>Messages a queue gave up on: each left this record so that the failure stays visible until a person deals with it.</p>
<form class="filters" method="get" action="${CONSOLE_BASE}/failures">
<label>Queue<select name="queue"><option value="">all</option>${view.queues.map((q) => html`<option${query.queue === q ? html` selected` : ''}>${q}</option>`)}</select></label>
<button type="submit">Show</button>
</form>
${
  view.failures.length === 0
    ? html`<p class="muted">No failure. Nothing needs a person.</p>`
    : html`<div class="scroll"><table class="failures">
<thead><tr><th>Failed</th><th>Queue</th><th>Why</th><th>Message (preview)</th></tr></thead>
<tbody>${view.failures.map(
        (f) => html`<tr data-failure="${f.id}">
<td>${when(f.failedAt, now)}</td><td>${f.queue}</td><td class="error">${f.reason}</td><td><pre>${f.preview}</pre></td>
</tr>`,
      )}</tbody></table></div>`
}`;
  return layout('failures', 'Failures', context, body);
}
