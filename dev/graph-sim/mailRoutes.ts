import { z } from 'zod';
import type { SimContext } from './context';
import { type DeltaEntry, serveDelta } from './delta';
import { pageSize } from './directoryRoutes';
import {
  badRequest,
  graphError,
  json,
  preferences,
  type Route,
  route,
  type SimRequest,
  type SimResponse,
} from './http';
import { receivedSinceIn, select } from './odata';
import { pagedList } from './paging';
import { type Json, newGraphId, type SimFolder, type SimMailbox, type SimMessage, type SimTenant } from './store';

/** Properties Graph returns only when `$select`ed. */
const SELECT_ONLY = ['uniqueBody', 'internetMessageHeaders'];

export function shapeMessage(message: SimMessage, fields: string | undefined): Json {
  const { attachments: _attachments, ...rest } = message;
  if (fields) return select(rest, new URLSearchParams({ $select: fields }));
  const out: Json = { ...rest };
  for (const key of SELECT_ONLY) delete out[key];
  return out;
}

function shapeFolder(mailbox: SimMailbox, folder: SimFolder): Json {
  const inFolder = [...mailbox.messages.values()].filter((m) => m.parentFolderId === folder.id);
  return {
    id: folder.id,
    displayName: folder.displayName,
    parentFolderId: 'msgfolderroot',
    childFolderCount: 0,
    totalItemCount: inFolder.length,
    unreadItemCount: inFolder.filter((m) => !m.isRead).length,
  };
}

const recipientSchema = z.object({ emailAddress: z.object({ address: z.string(), name: z.string().optional() }) });
const sendMailSchema = z.object({
  message: z.looseObject({
    subject: z.string().default(''),
    body: z.object({ contentType: z.string().default('text'), content: z.string() }).optional(),
    toRecipients: z.array(recipientSchema).min(1),
    ccRecipients: z.array(recipientSchema).default([]),
  }),
  saveToSentItems: z.boolean().default(true),
});

export interface SentMail {
  readonly tenantId: string;
  readonly from: string;
  readonly to: string[];
  readonly subject: string;
  readonly message: Json;
}

/** Mailboxes: folders, messages (list, delta, get, PATCH, move), attachments and sendMail. */
export function mailRoutes(ctx: SimContext, sent: SentMail[]): Route[] {
  const withMailbox =
    (handle: (request: SimRequest, mailbox: SimMailbox, params: Record<string, string>, t: SimTenant) => SimResponse) =>
    (request: SimRequest, params: Record<string, string>): SimResponse => {
      const t = ctx.tenantOf(request.tenantId);
      const user = ctx.store.findUser(t, params.user!);
      if (!user) return graphError(404, 'ErrorInvalidUser', `The requested user '${params.user}' is invalid.`);
      const mailbox = t.mailboxes.get(String(user.id));
      if (!mailbox) {
        return graphError(
          404,
          'MailboxNotEnabledForRESTAPI',
          'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
        );
      }
      return handle(request, mailbox, params, t);
    };
  const folderOr404 = (mailbox: SimMailbox, id: string) => ctx.store.resolveFolder(mailbox, id);
  const messageOr404 = (mailbox: SimMailbox, id: string) => mailbox.messages.get(id);
  const missingItem = () => graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  const messageList = (request: SimRequest, messages: SimMessage[]) => {
    const filtered = messages
      .filter((m) => receivedSinceFilter(m, request.query.get('$filter') ?? undefined))
      .sort((a, b) => b.receivedDateTime.localeCompare(a.receivedDateTime));
    return pagedList(ctx.baseUrl(), request, filtered, {
      defaultTop: 10,
      maxTop: 1000,
      shape: (item, query) => shapeMessage(item as SimMessage, query.get('$select') ?? undefined),
    });
  };
  const getMessage = withMailbox((request, mailbox, params) => {
    const message = messageOr404(mailbox, params.id!);
    return message ? json(200, shapeMessage(message, request.query.get('$select') ?? undefined)) : missingItem();
  });

  return [
    route(
      'GET',
      '/users/:user/mailFolders',
      'mailFolders.list',
      withMailbox((request, mailbox) =>
        pagedList(
          ctx.baseUrl(),
          request,
          [...mailbox.folders.values()].map((f) => shapeFolder(mailbox, f)),
          {
            defaultTop: 10,
            maxTop: 1000,
            shape: (item, query) => select(item, query),
          },
        ),
      ),
    ),
    route(
      'POST',
      '/users/:user/mailFolders',
      'mailFolders.create',
      withMailbox((request, mailbox) => {
        const parsed = z.object({ displayName: z.string().min(1) }).safeParse(request.body);
        if (!parsed.success) return badRequest('displayName is required.', 'ErrorInvalidRequest');
        const name = parsed.data.displayName;
        if ([...mailbox.folders.values()].some((f) => f.displayName.toLowerCase() === name.toLowerCase())) {
          return graphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
        }
        return json(201, shapeFolder(mailbox, ctx.store.createFolder(mailbox, name)));
      }),
    ),
    route(
      'GET',
      '/users/:user/mailFolders/:folder',
      'mailFolders.get',
      withMailbox((_request, mailbox, params) => {
        const folder = folderOr404(mailbox, params.folder!);
        return folder ? json(200, shapeFolder(mailbox, folder)) : missingItem();
      }),
    ),
    route(
      'GET',
      '/users/:user/mailFolders/:folder/messages/delta',
      'messages.delta',
      withMailbox((request, mailbox, params, t) => {
        const folder = folderOr404(mailbox, params.folder!);
        if (!folder) return missingItem();
        return serveDelta(ctx.baseUrl(), request, {
          list: `${t.id}/${mailbox.userId}/${folder.id}/delta`,
          epoch: ctx.store.deltaEpoch,
          expiry: ctx.deltaExpiry,
          currentSeq: ctx.store.currentSeq(),
          pageSize: pageSize(request, 10),
          supportsLatest: false,
          filteredLimit: FILTERED_DELTA_LIMIT,
          snapshot: (filter, until) =>
            [...mailbox.messages.values()]
              .filter((m) => m.parentFolderId === folder.id && receivedSinceFilter(m, filter))
              .map((m) => ({ key: mailbox.placed.get(m.id) ?? 0, item: m }))
              .filter((entry) => entry.key <= until),
          changes: (from, until, filter) =>
            folderChanges(mailbox, folder.id, { since: from, until, filter, partial: ctx.partialMessages }),
          shape: (item, fields) => shapeMessage(item as SimMessage, fields),
        });
      }),
    ),
    route(
      'GET',
      '/users/:user/mailFolders/:folder/messages',
      'messages.list',
      withMailbox((request, mailbox, params) => {
        const folder = folderOr404(mailbox, params.folder!);
        if (!folder) return missingItem();
        return messageList(
          request,
          [...mailbox.messages.values()].filter((m) => m.parentFolderId === folder.id),
        );
      }),
    ),
    route('GET', '/users/:user/mailFolders/:folder/messages/:id', 'messages.get', getMessage),
    route(
      'GET',
      '/users/:user/messages',
      'messages.list',
      withMailbox((request, mailbox) => messageList(request, [...mailbox.messages.values()])),
    ),
    route('GET', '/users/:user/messages/:id', 'messages.get', getMessage),
    route(
      'PATCH',
      '/users/:user/messages/:id',
      'messages.update',
      withMailbox((request, mailbox, params, t) => {
        const message = messageOr404(mailbox, params.id!);
        if (!message) return missingItem();
        const parsed = z
          .object({ isRead: z.boolean().optional(), categories: z.array(z.string()).optional() })
          .safeParse(request.body);
        if (!parsed.success) return badRequest('Only isRead and categories can be updated in the simulator.');
        Object.assign(message, parsed.data);
        ctx.store.touchMessage(t, mailbox, message);
        return json(200, shapeMessage(message, undefined));
      }),
    ),
    route(
      'POST',
      '/users/:user/messages/:id/move',
      'messages.move',
      withMailbox((request, mailbox, params, t) => {
        const message = messageOr404(mailbox, params.id!);
        if (!message) return missingItem();
        const parsed = z.object({ destinationId: z.string().min(1) }).safeParse(request.body);
        if (!parsed.success) return badRequest('destinationId is required.', 'ErrorInvalidRequest');
        const destination = folderOr404(mailbox, parsed.data.destinationId);
        if (!destination) return missingItem();
        const immutable = preferences(request.headers).get('idtype') === 'ImmutableId';
        ctx.store.logMessageLeft(mailbox, message.parentFolderId, message.id);
        mailbox.messages.delete(message.id);
        // Without immutable ids, Exchange gives a moved item a new id.
        const moved: SimMessage = {
          ...message,
          id: immutable ? message.id : newGraphId(),
          parentFolderId: destination.id,
        };
        ctx.store.placeMessage(t, mailbox, moved, 'updated');
        return json(201, shapeMessage(moved, undefined));
      }),
    ),
    route(
      'GET',
      '/users/:user/messages/:id/attachments',
      'attachments.list',
      withMailbox((_request, mailbox, params) => {
        const message = messageOr404(mailbox, params.id!);
        if (!message) return missingItem();
        return json(200, {
          value: message.attachments.map((a) => ({ '@odata.type': '#microsoft.graph.fileAttachment', ...a })),
        });
      }),
    ),
    route(
      'POST',
      '/users/:user/sendMail',
      'mail.send',
      withMailbox((request, mailbox, _params, t) => {
        const parsed = sendMailSchema.safeParse(request.body);
        if (!parsed.success) {
          return badRequest(
            `Invalid sendMail body: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
            'ErrorInvalidRequest',
          );
        }
        const { message, saveToSentItems } = parsed.data;
        const to = [...message.toRecipients, ...message.ccRecipients].map((r) => r.emailAddress.address);
        const seed = {
          subject: message.subject,
          from: mailbox.address,
          to,
          body: message.body?.content ?? '',
          bodyType: message.body?.contentType === 'html' ? ('html' as const) : ('text' as const),
          receivedDateTime: new Date(ctx.now()).toISOString(),
          isRead: true,
          ...(Array.isArray(message.internetMessageHeaders)
            ? { internetMessageHeaders: message.internetMessageHeaders }
            : {}),
        };
        sent.push({ tenantId: t.id, from: mailbox.address, to, subject: message.subject, message });
        if (saveToSentItems) {
          const sentItems = ctx.store.resolveFolder(mailbox, 'sentitems')!;
          ctx.store.placeMessage(t, mailbox, ctx.store.buildMessage(mailbox, seed, sentItems.id), 'created');
        }
        for (const address of to) {
          const target = ctx.store.findMailboxByAddress(address);
          if (!target) continue;
          const inbox = ctx.store.resolveFolder(target.mailbox, 'inbox')!;
          const delivered = ctx.store.buildMessage(target.mailbox, { ...seed, isRead: false }, inbox.id);
          ctx.store.placeMessage(target.tenant, target.mailbox, delivered, 'created');
        }
        return { status: 202 };
      }),
    ),
  ];
}

/** Graph returns at most this many messages for a delta with `$filter` (learn: graph/delta-query-messages). */
export const FILTERED_DELTA_LIMIT = 5000;

/**
 * The messages that changed in a folder. A message that entered the folder in the window comes whole; one that only
 * changed there (read, flagged) comes as the partial item Graph sends on update rounds: its id, `isRead` (as a
 * string, as in Graph's own sample) and `parentFolderId`. Messages that left the folder come as `@removed`.
 */
function folderChanges(
  mailbox: SimMailbox,
  folderId: string,
  window: { since: number; until: number; filter: string | undefined; partial: 'updates' | 'all' },
): DeltaEntry[] {
  const { since, until, filter } = window;
  const ids: string[] = [];
  for (const change of mailbox.changes) {
    if (change.folderId === folderId && change.seq > since && change.seq <= until && !ids.includes(change.messageId)) {
      ids.push(change.messageId);
    }
  }
  const entries: DeltaEntry[] = [];
  for (const id of ids) {
    const message = mailbox.messages.get(id);
    if (!message || message.parentFolderId !== folderId) {
      entries.push({ raw: { '@odata.type': '#microsoft.graph.message', id, '@removed': { reason: 'deleted' } } });
    } else if (!receivedSinceFilter(message, filter)) {
      // Outside the stream's $filter: Graph does not track it.
    } else if (window.partial === 'updates' && (mailbox.placed.get(id) ?? 0) > since) {
      entries.push({ item: message });
    } else {
      entries.push({
        raw: {
          '@odata.type': '#microsoft.graph.message',
          '@odata.etag': `W/"${id.slice(-12)}"`,
          id,
          isRead: String(message.isRead),
          parentFolderId: message.parentFolderId,
        },
      });
    }
  }
  return entries;
}

function receivedSinceFilter(message: SimMessage, filter: string | undefined): boolean {
  const since = receivedSinceIn(filter);
  return since === undefined || Date.parse(message.receivedDateTime) >= Date.parse(since);
}
