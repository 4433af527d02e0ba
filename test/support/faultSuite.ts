// The fault suite's eyes: a normalised picture of what both simulators hold, and the fault rule sets it injects.

import type { FaultRule } from '../../dev/faults';
import type { Stack } from '../../dev/stack';

type Row = Record<string, unknown>;

/** Ids, dates and generated keys differ between two runs of the same flows; the content may not. */
export function mask(text: unknown): string {
  return String(text ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z?/g, '<time>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\b[0-9a-f]{16,}\b/gi, '<hex>')
    .replace(/\s+/g, ' ')
    .trim();
}

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

export interface EndState {
  readonly tickets: Row[];
  readonly users: Row[];
  readonly clientLinks: Row[];
  readonly scriptRuns: Row[];
  readonly mailFolders: Row[];
  readonly sentMail: Row[];
}

/**
 * Halo's tickets (with their actions), contacts, company tenant links and script runs, and Graph's mailbox folders
 * and sent mail, with every generated id replaced by what it names (a ticket by its summary, a user by email), so
 * that two runs of the same flows compare equal when they did the same things, and differ on a duplicate or a loss.
 */
export function endState(stack: Stack, mailTenantId: string): EndState {
  const { tables, actions } = stack.halo.store;
  const userKey = (id: unknown) => {
    const user = tables.users.get(Number(id));
    return user ? String(user.emailaddress || user.name) : `#${String(id)}`;
  };
  const tickets = [...tables.tickets.values()].map((ticket) => ({
    summary: ticket.summary,
    client: ticket.client_id,
    user: userKey(ticket.user_id),
    status: ticket.status_id,
    type: ticket.tickettype_id,
    actions: actions
      .filter((action) => Number(action.ticket_id) === Number(ticket.id))
      .map((action) => ({
        outcome: action.outcome_id,
        hidden: Boolean(action.hiddenfromuser),
        note: mask(action.note_html ?? action.note),
      }))
      .sort(byJson),
  }));
  const users = [...tables.users.values()].map((user) => ({
    client: user.client_id,
    site: user.site_id,
    name: user.name,
    email: user.emailaddress,
    azureoid: user.azureoid ?? '',
    inactive: Boolean(user.inactive),
  }));
  const clientLinks = [...tables.clients.values()].map((client) => ({
    client: client.id,
    tenants: ((client.azure_tenants as Row[] | undefined) ?? []).map((link) => String(link.azure_tenant_id)).sort(),
  }));
  const scriptRuns = [...tables.scriptRuns.values()].map((run) => ({
    ticket: run.ticket_id,
    processed: Boolean(run.processed),
    success: run.success ?? null,
  }));
  const tenant = stack.graph.store.tenant(mailTenantId);
  const mailFolders: Row[] = [];
  for (const box of tenant?.mailboxes.values() ?? []) {
    for (const message of box.messages.values()) {
      mailFolders.push({
        mailbox: box.address,
        subject: message.subject,
        folder: box.folders.get(String(message.parentFolderId))?.displayName,
      });
    }
  }
  const sentMail = stack.graph
    .sentMail()
    .map((mail) => ({ from: mail.from, to: mail.to, subject: mask(mail.subject) }));
  return {
    tickets: tickets.sort(byJson),
    users: users.sort(byJson),
    clientLinks: clientLinks.sort(byJson),
    scriptRuns: scriptRuns.sort(byJson),
    mailFolders: mailFolders.sort(byJson),
    sentMail: sentMail.sort(byJson),
  };
}

/** Records that exist more than once where the flows mean one: tickets by summary, contacts by Entra id. */
export function duplicatesIn(state: EndState): string[] {
  const repeats = (label: string, keys: string[]) => {
    const counts = new Map<string, number>();
    for (const key of keys) if (key !== '') counts.set(key, (counts.get(key) ?? 0) + 1);
    return [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${label} ${key} ×${n}`);
  };
  return [
    ...repeats(
      'ticket',
      state.tickets.map((t) => String(t.summary)),
    ),
    ...repeats(
      'contact',
      state.users.map((u) => String(u.azureoid)),
    ),
    ...repeats(
      'sent mail',
      state.sentMail.map((m) => JSON.stringify(m)),
    ),
  ];
}

/**
 * About 10% of requests to either simulator fail, each way a real service fails: 429 with and without
 * Retry-After, 5xx, dropped connections, latency, and writes whose answer is lost after they were done. Seeded: the
 * same seed and the same requests give the same faults. The flows make few requests, so each kind also fires once
 * by count (rules named `once: …`; the suite checks that every one of them fired), the token endpoint's 429 too.
 */
export function tenPercentFaults(style: 'halo' | 'graph', options: { lostAnswers?: boolean } = {}): FaultRule[] {
  const any = style === 'halo' ? '^/api/' : '.';
  const lostAnswers = options.lostAnswers !== false;
  const lost = lostAnswers ? 0.01 : 0;
  const writes =
    style === 'halo'
      ? [
          { name: 'ticket', path: '^/api/Tickets' },
          { name: 'action', path: '^/api/Actions' },
          { name: 'contact', path: '^/api/Users' },
        ]
      : [{ name: 'move', path: '/move$' }];
  const once = (name: string, rule: Omit<FaultRule, 'name' | 'times'>): FaultRule => ({
    name: `once: ${style} ${name}`,
    times: 1,
    ...rule,
  });
  return [
    { name: `${style} latency`, path: any, probability: 0.1, effect: { kind: 'latency', ms: 60 } },
    once('token 429', { scope: 'token', effect: { kind: 'status', status: 429, retryAfter: 1 } }),
    once('429', { path: any, after: 2, effect: { kind: 'status', status: 429, style } }),
    once('429 Retry-After', { path: any, after: 5, effect: { kind: 'status', status: 429, retryAfter: 1, style } }),
    once('503', { path: any, after: 8, effect: { kind: 'status', status: 503, style } }),
    once('drop', { path: any, method: 'GET', after: 11, effect: { kind: 'drop' } }),
    ...(lostAnswers
      ? writes.map((write) =>
          once(`lost ${write.name} answer`, {
            path: write.path,
            method: 'POST',
            effect: { kind: 'lostAnswer', answer: write.name === 'action' ? 502 : 'drop' },
          }),
        )
      : []),
    { name: `${style} 429`, path: any, probability: 0.025, effect: { kind: 'status', status: 429, style } },
    {
      name: `${style} 429 Retry-After`,
      path: any,
      probability: 0.015,
      effect: { kind: 'status', status: 429, retryAfter: 1, style },
    },
    { name: `${style} 503`, path: any, probability: 0.015, effect: { kind: 'status', status: 503, style } },
    { name: `${style} 500`, path: any, probability: 0.01, effect: { kind: 'status', status: 500, style } },
    { name: `${style} drop`, path: any, probability: 0.01, effect: { kind: 'drop' } },
    ...(['drop', 502, 504] as const).map(
      (answer): FaultRule => ({
        name: `${style} lost answer (${answer})`,
        path: any,
        method: 'POST',
        probability: lost,
        effect: { kind: 'lostAnswer', answer },
      }),
    ),
  ];
}

/** The `once: …` rules that never fired: a suite that injected nothing proves nothing. */
export function faultsThatNeverFired(fired: Record<string, number>): string[] {
  return Object.entries(fired)
    .filter(([name, count]) => name.startsWith('once: ') && count === 0)
    .map(([name]) => name);
}
