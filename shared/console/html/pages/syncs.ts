import { CONSOLE_BASE } from '../../assets';
import type { RunDetail, RunsView } from '../../views/syncs';
import { describeCounts, words } from '../../words';
import { badge, when } from '../format';
import { html, type SafeHtml, safeUrl } from '../html';
import { layout, type PageContext } from '../layout';

export function syncsPage(view: RunsView, context: PageContext): string {
  const { now, principal } = context;
  const body = html`
<div class="cards">
${view.syncs.map(
  (sync) => html`<section class="card" data-sync="${sync.kind}">
<h3>${sync.title} ${badge(sync.enabled ? sync.mode : 'disabled')}</h3>
<p class="muted">schedule <code>${sync.schedule}</code>${sync.nextRunAt ? html` · next ${when(sync.nextRunAt, now)}` : ''}</p>
${sync.pendingSince && html`<p class="notice">The run scheduled for ${when(sync.pendingSince, now)} has not started yet; the timer keeps trying.</p>`}
${sync.lease && html`<p>${sync.lease.active ? html`Apply run <a href="${CONSOLE_BASE}/syncs/${encodeURIComponent(sync.kind)}/${encodeURIComponent(sync.lease.runId)}">${sync.lease.runId}</a> is running (one apply run at a time).` : html`<span class="error">Apply run ${sync.lease.runId} stopped renewing its lease ${when(sync.lease.expiresAt, now)}; the next apply run takes over.</span>`}</p>`}
${
  principal.access === 'operate'
    ? html`<form class="inline" method="post" action="${CONSOLE_BASE}/actions/syncs/${encodeURIComponent(sync.kind)}/start" data-action data-confirm="Start a ${sync.title} run?">
<label>Mode <select name="mode">${sync.modes.map((mode) => html`<option value="${mode}"${mode === 'plan' ? html` selected` : ''}>${mode === 'apply' ? 'apply (writes to Halo)' : `${mode} (changes nothing)`}</option>`)}</select></label>
<button type="submit">Start a run</button></form>`
    : html`<p class="muted">Starting a run needs the operate role.</p>`
}
${principal.access === 'operate' && sync.deltas ? resetForm(sync.deltas) : ''}
</section>`,
)}
</div>
<h2>Runs</h2>
${
  view.runs.length === 0
    ? html`<p class="muted">No run yet.</p>`
    : html`<div class="scroll"><table class="runs">
<thead><tr><th>Started</th><th>Sync</th><th>Mode</th><th>Status</th><th>Changes</th><th class="hide-narrow">Trigger</th></tr></thead>
<tbody>${view.runs.map(
        (run) => html`<tr data-run="${run.runId}">
<td><a href="${CONSOLE_BASE}/syncs/${encodeURIComponent(run.kind)}/${encodeURIComponent(run.runId)}">${when(run.startedAt, now)}</a></td>
<td>${run.title}</td><td>${run.mode ?? ''}</td><td>${badge(run.status)}${run.error && html`<br><span class="error">${run.error}</span>`}</td>
<td>${describeCounts(run.counts)}</td><td class="hide-narrow">${run.trigger ?? ''}</td></tr>`,
      )}</tbody></table></div>`
}`;
  return layout('syncs', 'Syncs', context, body);
}

export function runPage(run: RunDetail, context: PageContext): string {
  const { now } = context;
  const body = html`
<div class="card">
<p>${badge(run.status)} run <code>${run.runId}</code> · started ${when(run.startedAt, now)} · finished ${when(run.finishedAt, now)}${run.trigger ? html` · by ${run.trigger}` : ''}</p>
<p>${describeCounts(run.counts)}</p>
${run.error && html`<p class="error">${run.error}</p>`}
${
  run.reports.length > 0
    ? html`<p>Reports: ${run.reports.map((path, i) => html`${i > 0 ? ' · ' : ''}<a href="${CONSOLE_BASE}/reports/${path.split('/').map(encodeURIComponent).join('/')}" download>${path.split('/').pop()}</a>`)}</p>`
    : html`<p class="muted">No report yet.</p>`
}
</div>
${run.sources.map(
  (source) => html`<section data-tenant="${source.tenantId}">
<h2>${source.displayName} ${badge(source.phase)}</h2>
<p class="muted">${source.tenantId} · attempt ${source.attempts}${source.appliedChanges !== undefined ? html` · ${source.appliedChanges} change(s) applied` : ''}</p>
${source.company && html`<p>Halo company <a href="${safeUrl(source.company.url)}">${source.company.name}</a> (matched by ${source.company.by})</p>`}
${source.unmatched && html`<p class="notice">Unmatched: ${source.unmatched.reason}<br><strong>Fix:</strong> ${source.unmatched.fix}</p>`}
${source.error && html`<p class="error">${source.error}</p>`}
${
  source.changes.length > 0
    ? html`<div class="scroll"><table class="changes"><thead><tr><th>Change</th><th>Who</th><th>Why</th></tr></thead><tbody>
${source.changes.map((c) => html`<tr><td>${words(c.kind)}</td><td>${c.url ? html`<a href="${safeUrl(c.url)}">${c.subject ?? 'open in Halo'}</a>` : (c.subject ?? '')}</td><td>${c.reason}</td></tr>`)}
</tbody></table></div>${source.changeTotal > source.changes.length ? html`<p class="muted">${source.changeTotal - source.changes.length} more in the report.</p>` : ''}`
    : html`<p class="muted">No change planned.</p>`
}
${source.skipped.length > 0 && html`<details><summary>${source.skipped.length} user(s) left alone</summary><ul>${source.skipped.map((s) => html`<li>${s.subject}: ${s.reason}</li>`)}</ul></details>`}
</section>`,
)}
<p><a href="${CONSOLE_BASE}/syncs">← all runs</a></p>`;
  return layout('syncs', `${run.title} run, ${run.mode ?? ''} mode`, context, body);
}

/** Halo's "Reset Deltas" for the Entra ID sync: clear (the next run reads everything) or latest (from now on). */
function resetForm(deltas: readonly { tenantId: string; name: string }[]): SafeHtml {
  return html`<form class="inline" method="post" action="${CONSOLE_BASE}/actions/syncs/entra/reset" data-action data-confirm="Reset this connection's delta?">
<label>Connection <select name="tenantId">${deltas.map((d) => html`<option value="${d.tenantId}">${d.name}</option>`)}</select></label>
<label>Reset <select name="how"><option value="clear">clear (next run reads everything)</option><option value="latest">latest (only changes from now on)</option></select></label>
<button type="submit">Reset delta</button></form>`;
}
