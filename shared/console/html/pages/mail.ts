import { MAIL_OUTCOMES } from '../../../storage';
import { CONSOLE_BASE } from '../../assets';
import type { MailQuery, MailView } from '../../views/mail';
import { describeCounts } from '../../words';
import { badge, when } from '../format';
import { html, safeUrl } from '../html';
import { layout, olderLink, type PageContext } from '../layout';

const dateInput = (value: Date | undefined) => (value ? value.toISOString().slice(0, 10) : '');

export function mailPage(view: MailView, query: MailQuery, context: PageContext): string {
  const { now } = context;
  const many = view.mailboxes.length > 1;
  const body = html`
<div class="cards">
${view.mailboxes.map(
  (m) => html`<section class="card" data-mailbox="${m.id}">
<h3>${m.address} ${m.lastScan ? badge(m.lastScan.status) : badge('idle')}</h3>
<p>last scan ${when(m.lastScan?.finishedAt ?? m.lastScan?.startedAt, now)}${m.lastScan?.idleScans ? html` <span class="muted">(${m.lastScan.idleScans} idle)</span>` : ''}</p>
${m.lastScan?.error && html`<p class="error">${m.lastScan.error}</p>`}
<p class="muted">last complete scan ${when(m.scan.lastSuccessfulScanAt, now)} · ${m.scan.hasDeltaLink ? 'delta link held' : 'no delta link yet'}${m.scan.baselineAt ? html` · mail before ${when(m.scan.baselineAt, now)} left alone` : ''}</p>
${m.last24h && html`<p>last 24 h: ${describeCounts(m.last24h.counts) || 'no mail'}${m.last24h.more ? ' (and more)' : ''}</p>`}
<p class="muted">notifications: ${m.notifications ? (m.subscriptionExpiresAt ? html`subscribed, expires ${when(m.subscriptionExpiresAt, now)}` : 'not subscribed yet') : 'off'}</p>
</section>`,
)}
</div>
<h2>Mail log</h2>
<form class="filters" method="get" action="${CONSOLE_BASE}/mail">
${many && html`<label>Mailbox<select name="mailbox"><option value="">all</option>${view.mailboxes.map((m) => html`<option value="${m.id}"${query.mailbox === m.id ? html` selected` : ''}>${m.address}</option>`)}</select></label>`}
<label>Subject or sender contains<input name="q" value="${query.q ?? ''}" placeholder="printer"></label>
<label>Sender (address or domain)<input name="from" value="${query.from ?? ''}" placeholder="contoso.com"></label>
<label>Ticket<input name="ticket" inputmode="numeric" value="${query.ticket ?? ''}" size="7"></label>
<label>Fate<select name="outcome"><option value="">any</option>${MAIL_OUTCOMES.map((o) => html`<option${query.outcome === o ? html` selected` : ''}>${o}</option>`)}</select></label>
<label>From date<input type="date" name="since" value="${dateInput(query.since)}"></label>
<label>To date<input type="date" name="until" value="${dateInput(query.until)}"></label>
<button type="submit">Search</button>
</form>
${
  view.entries.length === 0
    ? html`<p class="muted">No mail matches${query.q ? html` in the ${view.scanned} newest messages searched` : ''}.</p>`
    : html`<div class="scroll"><table class="mail-log">
<thead><tr><th>Received</th>${many && html`<th class="hide-narrow">Mailbox</th>`}<th>From</th><th>Subject</th><th>Fate</th><th>Ticket</th></tr></thead>
<tbody>${view.entries.map(
        (e) => html`<tr data-message="${e.messageId}">
<td>${when(e.receivedAt ?? e.processedAt, now)}</td>${many && html`<td class="hide-narrow">${e.mailbox}</td>`}
<td>${e.from ?? html`<span class="muted">unknown</span>`}</td>
<td>${e.subject ?? ''}</td>
<td>${badge(e.outcome)} ${e.fate}${e.detail && html`<br><span class="muted">${e.detail}</span>`}</td>
<td>${e.ticketUrl ? html`<a href="${safeUrl(e.ticketUrl)}">${e.ticketId}</a>` : ''}</td>
</tr>`,
      )}</tbody></table></div>`
}
${olderLink(`${CONSOLE_BASE}/mail`, query, view.next)}
${query.q && view.next ? html`<p class="muted">A text search reads up to a budget of messages per page; "Older" searches further back.</p>` : ''}`;
  return layout('mail', 'Mail', context, body);
}
