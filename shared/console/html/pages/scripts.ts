import { CONSOLE_BASE } from '../../assets';
import type { JobDetail, JobRow, JobsQuery, JobsView } from '../../views/jobs';
import { badge, duration, when } from '../format';
import { html, type SafeHtml, safeUrl } from '../html';
import { layout, olderLink, type PageContext } from '../layout';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'timedOut', 'interrupted', 'rejected', 'expired'];

function ticketCell(job: JobRow): SafeHtml {
  return job.ticketUrl
    ? html`<a href="${safeUrl(job.ticketUrl)}">${job.ticketId}</a>`
    : html`<span class="muted">—</span>`;
}

export function scriptsPage(view: JobsView, query: JobsQuery, context: PageContext): string {
  const { now } = context;
  const body = html`
<form class="filters" method="get" action="${CONSOLE_BASE}/scripts">
<label>Status<select name="status"><option value="">any</option>${STATUSES.map((s) => html`<option${query.status === s ? html` selected` : ''}>${s}</option>`)}</select></label>
<label>Script<input name="script" value="${query.script ?? ''}" placeholder="hello.sh"></label>
<label>Ticket<input name="ticket" inputmode="numeric" size="7" value="${query.ticket ?? ''}"></label>
<label>Worker<input name="worker" value="${query.worker ?? ''}"></label>
<button type="submit">Filter</button>
</form>
${
  view.jobs.length === 0
    ? html`<p class="muted">No job matches.</p>`
    : html`<div class="scroll"><table class="jobs">
<thead><tr><th>Created</th><th>Status</th><th>Script</th><th>Ticket</th><th class="hide-narrow">Worker</th><th class="hide-narrow">Duration</th><th>Output and Halo write</th></tr></thead>
<tbody>${view.jobs.map(
        (job) => html`<tr data-job="${job.id}">
<td>${when(job.createdAt, now)}</td>
<td>${badge(job.status)}</td>
<td><a href="${CONSOLE_BASE}/scripts/${encodeURIComponent(job.id)}">${job.script}</a><br><span class="muted">${job.source}</span></td>
<td>${ticketCell(job)}</td>
<td class="hide-narrow">${job.workerId ?? html`<span class="muted">—</span>`}</td>
<td class="hide-narrow">${duration(job.durationMs)}</td>
<td>${job.haloWrite ? html`<p>Halo: ${job.haloWrite}</p>` : ''}${job.error && html`<p class="error">${job.error}</p>`}${job.outputTail && html`<details><summary>output</summary><pre>${job.outputTail}</pre></details>`}</td>
</tr>`,
      )}</tbody></table></div>`
}
${olderLink(`${CONSOLE_BASE}/scripts`, query, view.next)}`;
  return layout('scripts', 'Scripts', context, body);
}

export function jobPage(job: JobDetail, context: PageContext): string {
  const { now } = context;
  const body = html`
<div class="card">
<p>${badge(job.status)} <strong>${job.script}</strong> on ${job.group}${job.workerId ? html` (worker ${job.workerId})` : ''} · ticket ${ticketCell(job)}</p>
<p class="muted">source ${job.source} · created ${when(job.createdAt, now)} · started ${when(job.startedAt, now)} · finished ${when(job.finishedAt, now)} · ${duration(job.durationMs)}</p>
${job.haloWrite ? html`<p>Halo write: ${job.haloWrite}</p>` : html`<p class="muted">No Halo write recorded.</p>`}
${job.error && html`<p class="error">${job.error}</p>`}
</div>
<h2>Output</h2>
${job.output ? html`<pre class="output">${job.output}</pre>` : html`<p class="muted">No output (yet).</p>`}
<p><a href="${CONSOLE_BASE}/scripts">← all jobs</a></p>`;
  return layout('scripts', `Job ${job.id}`, context, body);
}
