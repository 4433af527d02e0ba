import { randomUUID } from 'node:crypto';
// Shared by the mail-*.test.ts files: the support mailbox of the demo config and small readers of the outcome.
import type { Stack } from '../../dev/stack';

export const SUPPORT = 'support@bridgemsp.com';
export const MSP_TENANT = '99999999-9999-4999-8999-999999999999';

/** Runs the minute timer and every queued scan to completion. */
export async function scanNow(stack: Stack): Promise<void> {
  await stack.runner.runTimer('mailScanTimer');
  await stack.runner.drain({ timeoutMs: 30_000 });
}

/** Waits for the Graph simulator's notification deliveries, then for the scans they queued. */
export async function settle(stack: Stack): Promise<void> {
  await stack.graph.settled();
  await stack.runner.drain({ timeoutMs: 30_000 });
}

export function ticketsWithSummary(stack: Stack, summary: string) {
  return [...stack.halo.store.tables.tickets.values()].filter((t) => t.summary === summary);
}

export function folderOf(stack: Stack, messageId: string): string | undefined {
  const tenant = stack.graph.store.tenant(MSP_TENANT)!;
  for (const mailbox of tenant.mailboxes.values()) {
    const message = mailbox.messages.get(messageId);
    if (message) {
      const folder = mailbox.folders.get(String(message.parentFolderId));
      return folder?.displayName;
    }
  }
  return undefined;
}

let counter = 0;
export function uniqueSubject(text: string): string {
  counter += 1;
  return `${text} #${counter}-${Date.now().toString(36)}`;
}

/** The names of the files attached to a ticket in the Halo simulator. */
export function attachmentNames(stack: Stack, ticketId: number): string[] {
  return [...stack.halo.store.tables.attachments.values()]
    .filter((a) => a.ticket_id === ticketId)
    .map((a) => String(a.filename));
}

/** A queued "action added" webhook event about one action of a ticket, as the agent-reply flow receives it. */
export function actionAddedEvent(ticketId: number, actionId: number) {
  return {
    deliveryId: randomUUID(),
    event: 'Action Added',
    kind: 'action' as const,
    ticketId,
    actionId,
    rawSize: 100,
  };
}
