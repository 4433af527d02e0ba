import { z } from 'zod';
import { haloId, nonEmpty, tenantId } from './common';
import {
  DEFAULT_TAG_PATTERN,
  senderPatternProblem,
  subjectPatternProblem,
  tagPatternProblem,
} from './mailPatternSyntax';

const withProblem = (problem: (value: string) => string | undefined) =>
  nonEmpty.superRefine((value, ctx) => {
    const message = problem(value);
    if (message !== undefined) ctx.addIssue({ code: 'custom', message });
  });

/** A mailbox whose mail becomes Halo tickets. */
export const mailboxConfigSchema = z
  .object({
    id: nonEmpty.regex(/^[a-z0-9-]+$/, { message: 'must be lowercase letters, digits and dashes' }),
    tenantId,
    address: z.email({ message: 'must be an email address' }),
    kind: z.enum(['licensed', 'shared']).default('shared'),
    /** Folder display names (`inbox` is Graph's well-known name). Processed and failed mail is moved there. */
    folders: z
      .object({
        inbox: nonEmpty.default('inbox'),
        processed: nonEmpty.default('Processed by Halo'),
        failed: nonEmpty.default('Failed to process'),
      })
      .prefault({}),
    ticket: z
      .object({
        ticketTypeId: haloId,
        /** Client for mail from senders who are not Halo users. */
        fallbackClientId: haloId,
        /** A user of the fallback client for unknown senders; without it they go to the client's General User. */
        fallbackUserId: haloId.optional(),
        /** The fallback user's site: Halo needs `site_id` whenever a specific user is set. */
        fallbackSiteId: haloId.optional(),
        statusId: haloId.optional(),
        priorityId: haloId.optional(),
        /** A Halo request source (create one named e.g. "Email"); left out, Halo records the ticket as "Manual". */
        sourceId: z.number().int().nonnegative().optional(),
        /** Outcome of actions appended from mail replies. Default 7, the built-in note outcome on a stock Halo. */
        replyOutcomeId: haloId.optional(),
        /** Status a ticket moves to when its user replies by mail (e.g. "Customer Responded"). */
        replyStatusId: haloId.optional(),
      })
      .refine((t) => t.fallbackUserId === undefined || t.fallbackSiteId !== undefined, {
        path: ['fallbackSiteId'],
        message: 'is required when fallbackUserId is set (Halo needs site_id whenever a user is set)',
      }),
    /** `now`: the first scan only records where the inbox is; mail already there is never imported. */
    startFrom: z.enum(['now', 'importExisting']).default('now'),
    ignore: z
      .object({
        /** Exact address, `@domain`, or `/regex/`. */
        senders: z.array(withProblem(senderPatternProblem)).default([]),
        /** Case-insensitive substring, or `/regex/`. */
        subjects: z.array(withProblem(subjectPatternProblem)).default([]),
      })
      .prefault({}),
    /** Subject tag that threads mail to a ticket; `{id}` is the ticket number. Halo's default is `[ID:{id}]`. */
    tagPattern: withProblem(tagPatternProblem).default(DEFAULT_TAG_PATTERN),
    /** Also match the old `[ID 123]` form, as Halo does. */
    matchLegacyTag: z.boolean().default(true),
    /** Subscribe to Graph change notifications, so mail is picked up within seconds instead of at the next scan. */
    notifications: z.boolean().default(true),
    /** Total size of the attachments copied onto one ticket or action. */
    maxAttachmentBytes: z
      .number()
      .int()
      .positive()
      .default(10 * 1024 * 1024),
    /** Copy inline images (signature logos, pasted screenshots) as attachments too. */
    includeInlineAttachments: z.boolean().default(false),
    /**
     * A message claimed by a scan that stopped part-way (crashed, or Halo's answer to a write was lost) is shown as
     * recovering, and taken over by a later scan after this many seconds: the takeover looks the ticket or action
     * up in Halo before writing anything.
     */
    claimStaleSeconds: z.number().int().min(1).max(3600).default(120),
  })
  .strict();

export const mailboxesConfigSchema = z.array(mailboxConfigSchema).default([]);
export type MailboxConfig = z.infer<typeof mailboxConfigSchema>;
