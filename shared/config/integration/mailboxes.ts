import { z } from 'zod';
import { haloId, nonEmpty, tenantId } from './common';

/** A mailbox whose mail becomes Halo tickets. */
export const mailboxConfigSchema = z
  .object({
    id: nonEmpty.regex(/^[a-z0-9-]+$/, { message: 'must be lowercase letters, digits and dashes' }),
    tenantId,
    address: z.email({ message: 'must be an email address' }),
    kind: z.enum(['licensed', 'shared']).default('shared'),
    folders: z
      .object({
        inbox: nonEmpty.default('inbox'),
        processed: nonEmpty.default('Processed by Halo'),
        failed: nonEmpty.default('Failed to process'),
      })
      .prefault({}),
    ticket: z.object({
      ticketTypeId: haloId,
      fallbackClientId: haloId,
      fallbackUserId: haloId.optional(),
      statusId: haloId.optional(),
      /** Outcome used for actions appended from mail replies. */
      replyOutcomeId: haloId.optional(),
    }),
    startFrom: z.enum(['now', 'importExisting']).default('now'),
    ignore: z
      .object({
        senders: z.array(nonEmpty).default([]),
        subjects: z.array(nonEmpty).default([]),
      })
      .prefault({}),
    tagPattern: nonEmpty.default('\\[ID:(\\d+)\\]'),
    notifications: z.boolean().default(true),
    maxAttachmentBytes: z
      .number()
      .int()
      .positive()
      .default(10 * 1024 * 1024),
  })
  .strict();

export const mailboxesConfigSchema = z.array(mailboxConfigSchema).default([]);
export type MailboxConfig = z.infer<typeof mailboxConfigSchema>;
