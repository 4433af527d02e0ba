import type { IntegrationConfig } from '../../config/integration';
import type { MailboxConfig } from '../../config/integration/mailboxes';

/** Every address this app reads or sends from: mail from one of them is our own (a loop). */
export function ownMailboxAddresses(config: IntegrationConfig): string[] {
  return config.mailboxes.map((m) => m.address.toLowerCase());
}

export function findMailbox(config: IntegrationConfig, mailboxId: string): MailboxConfig | undefined {
  return config.mailboxes.find((m) => m.id === mailboxId);
}

/**
 * The mailbox an agent's reply for a ticket of this Halo client goes out from: the mailbox whose mail lands on that
 * client (its fallback client), else the first configured mailbox (the default).
 */
export function mailboxForClient(config: IntegrationConfig, clientId: number | undefined): MailboxConfig | undefined {
  return config.mailboxes.find((m) => m.ticket.fallbackClientId === clientId) ?? config.mailboxes[0];
}
