import { CONSOLE_BASE } from '../../assets';
import type { OverviewView } from '../../views/overview';
import { badge, when } from '../format';
import { html, safeUrl } from '../html';
import { layout, type PageContext } from '../layout';

export function overviewPage(view: OverviewView, context: PageContext): string {
  const { now } = context;
  const failures = view.failures.total;
  const body = html`
${
  failures > 0 &&
  html`<p class="notice"><strong>${failures} failure(s) need a person:</strong> ${Object.entries(view.failures.open)
    .map(([queue, n]) => `${queue} ${n}`)
    .join(', ')}. <a href="${CONSOLE_BASE}/failures">Open Failures</a></p>`
}
<h2>Flows</h2>
<div class="cards">
${view.flows.map(
  (flow) => html`<section class="card" data-flow="${flow.id}">
<h3><a href="${flow.page}">${flow.title}</a> ${badge(flow.health)}</h3>
${
  flow.last
    ? html`<p>${badge(flow.last.status)} ${when(flow.last.at, now)}</p><p>${flow.last.summary || html`<span class="muted">no changes</span>`}</p>${flow.last.error && html`<p class="error">${flow.last.error}</p>`}`
    : html`<p class="muted">has not run yet</p>`
}
<p class="muted">next: ${flow.nextRunAt ? when(flow.nextRunAt, now) : 'on demand'}</p>
</section>`,
)}
</div>
<h2>Tenants</h2>
${
  view.tenants.length === 0
    ? html`<p class="muted">No sync has run yet.</p>`
    : html`<div class="scroll"><table>
<thead><tr><th>Tenant</th><th class="hide-narrow">Sync</th><th>Halo company</th><th>Last success</th><th>Last error</th><th>What to do</th></tr></thead>
<tbody>${view.tenants.map(
        (t) => html`<tr>
<td>${t.displayName}<span class="muted hide-narrow"><br>${t.tenantId}</span></td>
<td class="hide-narrow">${t.sync}</td>
<td>${t.company ? html`<a href="${safeUrl(t.company.url)}">${t.company.name}</a>` : html`<span class="muted">none</span>`}</td>
<td>${when(t.lastSuccessAt, now)}</td>
<td>${t.lastError ? html`<span class="error">${t.lastError}</span><br>${when(t.lastErrorAt, now)}` : html`<span class="muted">—</span>`}</td>
<td>${t.fix ?? ''}</td>
</tr>`,
      )}</tbody></table></div>`
}
<h2>Workers</h2>
${
  view.workers.length === 0
    ? html`<p class="muted">No hybrid worker is registered in the config.</p>`
    : html`<div class="scroll"><table>
<thead><tr><th>Worker</th><th>Group</th><th>Last seen</th><th>Last job</th></tr></thead>
<tbody>${view.workers.map(
        (
          w,
        ) => html`<tr><td>${w.id}${w.hostname && html`<br><span class="muted">${w.hostname}</span>`}</td><td>${w.group}</td>
<td>${when(w.lastSeenAt, now)}</td>
<td>${w.lastJob ? html`<a href="${CONSOLE_BASE}/scripts/${encodeURIComponent(w.lastJob.id)}">${w.lastJob.script}</a> ${badge(w.lastJob.status)}` : html`<span class="muted">none</span>`}</td></tr>`,
      )}</tbody></table></div>`
}
<h2>Graph subscriptions</h2>
${
  view.subscriptions.length === 0
    ? html`<p class="muted">No change-notification subscription (mail is still scanned every minute).</p>`
    : html`<div class="scroll"><table>
<thead><tr><th>Mailbox</th><th>Expires</th><th></th></tr></thead>
<tbody>${view.subscriptions.map((s) => html`<tr><td>${s.mailbox}</td><td>${when(s.expiresAt, now)}</td><td>${badge(s.health)}</td></tr>`)}</tbody></table></div>`
}
<h2>Config in force</h2>
<div class="card"><p>version <code>${view.config.version}</code> · ${view.config.mailboxes} mailbox(es) · ${view.config.scripts} script(s) · ${view.config.workers} worker(s)</p>
<p>tenant sync ${view.config.tenantSync.enabled ? html`<strong>${view.config.tenantSync.mode}</strong> mode, schedule <code>${view.config.tenantSync.schedule}</code>` : 'disabled'}</p>
<p>from <code>${view.config.source}</code>${view.config.savedAt ? html` · pushed ${when(view.config.savedAt, now)}` : ''}${view.config.loadedAt ? html` · loaded ${when(view.config.loadedAt, now)}` : ''}</p>
${view.config.state === 'ok' ? '' : html`<p class="error">${badge(view.config.state)} ${view.config.problems.join('; ')}</p>`}</div>
<p class="muted">as of ${view.generatedAt}</p>`;
  return layout('overview', 'Overview', context, body);
}
