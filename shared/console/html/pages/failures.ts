import { CONSOLE_BASE } from '../../assets';
import type { FailureRow, FailuresQuery, FailuresView } from '../../views/failures';
import { badge, when } from '../format';
import { html, type SafeHtml } from '../html';
import { layout, type PageContext } from '../layout';

const STATUSES = ['open', 'replaying', 'replayed', 'dismissed'] as const;

export function failuresPage(view: FailuresView, query: FailuresQuery, context: PageContext): string {
  const { now } = context;
  const operate = context.principal.access === 'operate';
  const body = html`
<p>Messages a queue gave up on: each left this record so that the failure stays visible until a person deals with it.
<strong>Replay</strong> sends the message back to its queue, once; <strong>Dismiss</strong> marks it as dealt with.</p>
<form class="filters" method="get" action="${CONSOLE_BASE}/failures">
<label>Queue<select name="queue"><option value="">all</option>${view.queues.map((q) => html`<option${query.queue === q ? html` selected` : ''}>${q}</option>`)}</select></label>
<label>Status<select name="status"><option value="">all</option>${STATUSES.map((s) => html`<option${query.status === s ? html` selected` : ''}>${s}</option>`)}</select></label>
<button type="submit">Show</button>
</form>
${
  view.failures.length === 0
    ? html`<p class="muted">No failure. Nothing needs a person.</p>`
    : html`<div class="scroll"><table class="failures">
<thead><tr><th>Failed</th><th>Queue</th><th>Status</th><th>Why</th><th>Message (preview)</th><th></th></tr></thead>
<tbody>${view.failures.map(
        (f) => html`<tr data-failure="${f.id}">
<td>${when(f.failedAt, now)}</td><td>${f.queue}<br><span class="muted">${f.kind}</span></td>
<td>${badge(f.status)}${f.replayedAt ? html`<br>${when(f.replayedAt, now)}` : ''}${f.dismissedAt ? html`<br>${when(f.dismissedAt, now)}` : ''}${f.note ? html`<br><span class="muted">${f.note}</span>` : ''}</td>
<td class="error">${f.reason}</td><td><pre>${f.preview}</pre></td><td>${operate ? actions(f) : ''}</td>
</tr>`,
      )}</tbody></table></div>`
}
${operate ? '' : html`<p class="muted">Replay and Dismiss need the operate role.</p>`}`;
  return layout('failures', 'Failures', context, body);
}

function actions(failure: FailureRow): SafeHtml | string {
  if (failure.status !== 'open') return '';
  const base = `${CONSOLE_BASE}/actions/failures/${encodeURIComponent(failure.queue)}/${encodeURIComponent(failure.id)}`;
  const replay = failure.replayable
    ? html`<form class="inline" method="post" action="${base}/replay" data-action data-confirm="Send this message back to ${failure.queue}? It runs again, once."><button type="submit">Replay</button></form>`
    : html`<span class="muted">not replayable</span>`;
  return html`${replay}
<form class="inline" method="post" action="${base}/dismiss" data-action><input name="note" placeholder="note (optional)" maxlength="500" aria-label="note"><button type="submit">Dismiss</button></form>`;
}
