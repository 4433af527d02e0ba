import { scanRunKind } from '../../../shared/mail/useCases';
import type { Stack } from '../../stack';
import type { DemoFlow, FlowSummary } from '../types';

const MAILBOX_ID = 'support';
const SUPPORT = 'support@bridgemsp.com';
const SUBJECT = 'Printer on fire';
const REPLY = 'RE: Mailbox full [ID:1001]';

let newMailId: string | undefined;
let replyId: string | undefined;
let subscribed = false;
let olderMail: string[] = [];

/** The ids of the messages in the support mailbox's Inbox right now, straight from the simulator. */
function inboxMessageIds(stack: Stack): string[] {
  const found = stack.graph.store.findMailboxByAddress(SUPPORT);
  if (!found) return [];
  const inbox = [...found.mailbox.folders.values()].find((f) => f.wellKnownName === 'inbox');
  return [...found.mailbox.messages.values()].filter((m) => m.parentFolderId === inbox?.id).map((m) => m.id);
}

/**
 * Mailbox to tickets: subscribe to the support mailbox (Graph validates our endpoint), take the startFrom-now
 * baseline, then a Contoso user mails in and replies to an existing ticket. The change notifications queue the
 * scans; nothing here calls the scanner directly.
 */
export const demoFlow: DemoFlow = {
  name: 'mail',
  order: 20,
  async kickoff(stack: Stack, say) {
    await stack.runner.runTimer('graphSubscriptions');
    subscribed = stack.graph.subscriptions().length > 0;
    say(subscribed ? 'subscribed to change notifications for support@bridgemsp.com' : 'no Graph subscription made');
    // The first scan records where the inbox is (startFrom: now): the mail already there stays untouched.
    olderMail = inboxMessageIds(stack);
    await stack.runner.runTimer('mailScanTimer');
    await stack.runner.drain({ timeoutMs: 30_000 });
    newMailId = stack.graph.deliverMail(SUPPORT, {
      from: 'megan.bowen@contoso.com',
      fromName: 'Megan Bowen',
      subject: SUBJECT,
      body: 'The printer on the 3rd floor is on fire. Please send help (and toner).',
    });
    replyId = stack.graph.deliverMail(SUPPORT, {
      from: 'megan.bowen@contoso.com',
      fromName: 'Megan Bowen',
      subject: REPLY,
      body: 'Thanks, I have deleted some old mail but it is still full.',
    });
    say(`mail "${SUBJECT}" and a reply to ticket 1001 delivered to ${SUPPORT}`);
  },
  async busy(stack: Stack) {
    await stack.graph.settled();
    return false;
  },
  async summarize(stack: Stack): Promise<FlowSummary> {
    const flow = 'mail';
    const lines: string[] = [];
    const failures: string[] = [];
    const log = stack.container.stores.mailLog;
    if (!subscribed) failures.push('the subscription maintenance timer made no Graph subscription');
    const created = newMailId ? await log.get(MAILBOX_ID, newMailId) : undefined;
    if (created?.ticketId !== undefined)
      lines.push(`mail '${SUBJECT}' from megan.bowen@contoso.com → ticket ${created.ticketId} created`);
    else failures.push(`mail '${SUBJECT}' was not turned into a ticket (${created?.fate ?? 'not processed'})`);
    const reply = replyId ? await log.get(MAILBOX_ID, replyId) : undefined;
    if (reply?.fate.startsWith('appended to')) lines.push(`reply '${REPLY}' → ${reply.fate}`);
    else failures.push(`the reply was not threaded (${reply?.fate ?? 'not processed'})`);
    const runs = await stack.container.stores.runs.list(scanRunKind(MAILBOX_ID));
    const stillInInbox = new Set(inboxMessageIds(stack));
    const touched = olderMail.filter((id) => !stillInInbox.has(id));
    if (touched.length === 0) lines.push(`${olderMail.length} older inbox messages left alone (startFrom: now)`);
    else failures.push(`${touched.length} of the ${olderMail.length} older inbox messages were moved (startFrom: now)`);
    const notifications = stack.graph.deliveries().filter((d) => d.kind === 'notification').length;
    lines.push(`${notifications} change notification(s) received; ${runs.length} scan(s) of ${SUPPORT} so far`);
    return { flow, ok: failures.length === 0, lines, failures };
  },
};
