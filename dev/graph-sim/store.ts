import { createHash, randomBytes } from 'node:crypto';
import type { MessageSeed, ParsedGraphSeed, TenantSeed } from './seed';

export type Json = Record<string, unknown>;

export interface SimFolder {
  id: string;
  displayName: string;
  wellKnownName?: string;
}

export interface SimAttachment {
  id: string;
  name: string;
  contentType: string;
  contentBytes: string;
  size: number;
  isInline: boolean;
}

export interface SimMessage extends Json {
  id: string;
  parentFolderId: string;
  receivedDateTime: string;
  isRead: boolean;
  attachments: SimAttachment[];
}

export interface SimMailbox {
  userId: string;
  address: string;
  folders: Map<string, SimFolder>;
  messages: Map<string, SimMessage>;
  /** Change log for messages delta: which message changed in which folder, in order. */
  changes: { seq: number; folderId: string; messageId: string }[];
  /** When each message entered its current folder (delivered or moved there): its place in a delta round. */
  placed: Map<string, number>;
}

export interface SimTenant {
  id: string;
  displayName: string;
  consented: boolean;
  domains: Json[];
  users: Map<string, Json>;
  removedUsers: Map<string, 'changed' | 'deleted'>;
  userChanges: { seq: number; id: string }[];
  groups: Json[];
  subscribedSkus: Json[];
  managedDevices: Json[];
  customers: string[];
  mailboxes: Map<string, SimMailbox>;
  /** Single-tenant app registrations (their tokens are only issued for this tenant). */
  apps: { clientId: string; secrets: string[]; certificates: string[] }[];
}

export type StoreEvent =
  | { kind: 'message'; tenantId: string; mailbox: SimMailbox; message: SimMessage; changeType: 'created' | 'updated' }
  | { kind: 'user'; tenantId: string; userId: string; changeType: 'updated' | 'deleted' };

const WELL_KNOWN: Record<string, string> = {
  inbox: 'Inbox',
  sentitems: 'Sent Items',
  deleteditems: 'Deleted Items',
  drafts: 'Drafts',
  archive: 'Archive',
  junkemail: 'Junk Email',
};

export function newGraphId(prefix = 'AAMkAG'): string {
  return prefix + randomBytes(24).toString('base64url');
}

/** The simulator's in-memory world. Mutations go through these methods so that delta logs and notifications follow. */
export class GraphStore {
  readonly tenants = new Map<string, SimTenant>();
  readonly app: ParsedGraphSeed['app'];
  /** Bumped by expireDeltaTokens(): delta tokens of an older epoch are refused. */
  deltaEpoch = 1;
  private seq = 0;
  private readonly listeners: ((event: StoreEvent) => void)[] = [];

  constructor(seed: ParsedGraphSeed) {
    this.app = seed.app;
    for (const tenant of seed.tenants) this.tenants.set(tenant.id.toLowerCase(), this.buildTenant(tenant));
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  currentSeq(): number {
    return this.seq;
  }

  onChange(listener: (event: StoreEvent) => void): void {
    this.listeners.push(listener);
  }

  tenant(tenantId: string): SimTenant | undefined {
    return this.tenants.get(tenantId.toLowerCase());
  }

  requireTenant(tenantId: string): SimTenant {
    const tenant = this.tenant(tenantId);
    if (!tenant) throw new Error(`unknown simulated tenant ${tenantId}`);
    return tenant;
  }

  /** Finds a user by id or UPN (case-insensitive). */
  findUser(tenant: SimTenant, idOrUpn: string): Json | undefined {
    const key = idOrUpn.toLowerCase();
    for (const user of tenant.users.values()) {
      if (String(user.id).toLowerCase() === key || String(user.userPrincipalName).toLowerCase() === key) return user;
      if (typeof user.mail === 'string' && user.mail.toLowerCase() === key) return user;
    }
    return undefined;
  }

  mailboxOf(tenant: SimTenant, idOrUpn: string): SimMailbox | undefined {
    const user = this.findUser(tenant, idOrUpn);
    return user ? tenant.mailboxes.get(String(user.id)) : undefined;
  }

  /** Any simulated mailbox in any tenant with this address. */
  findMailboxByAddress(address: string): { tenant: SimTenant; mailbox: SimMailbox } | undefined {
    const key = address.toLowerCase();
    for (const tenant of this.tenants.values()) {
      for (const mailbox of tenant.mailboxes.values())
        if (mailbox.address.toLowerCase() === key) return { tenant, mailbox };
    }
    return undefined;
  }

  resolveFolder(mailbox: SimMailbox, idOrName: string): SimFolder | undefined {
    const key = idOrName.toLowerCase();
    for (const folder of mailbox.folders.values()) {
      if (folder.id === idOrName || folder.wellKnownName === key) return folder;
    }
    return undefined;
  }

  createFolder(mailbox: SimMailbox, displayName: string): SimFolder {
    const wellKnown = Object.entries(WELL_KNOWN).find(([, name]) => name.toLowerCase() === displayName.toLowerCase());
    const folder: SimFolder = { id: newGraphId('AQMkAD'), displayName };
    if (wellKnown) folder.wellKnownName = wellKnown[0];
    mailbox.folders.set(folder.id, folder);
    return folder;
  }

  upsertUser(tenantId: string, user: Json): void {
    const tenant = this.requireTenant(tenantId);
    const id = String(user.id);
    tenant.users.set(id, { ...(tenant.users.get(id) ?? {}), ...user });
    tenant.removedUsers.delete(id);
    tenant.userChanges.push({ seq: this.nextSeq(), id });
    this.emit({ kind: 'user', tenantId: tenant.id, userId: id, changeType: 'updated' });
  }

  removeUser(tenantId: string, userId: string, reason: 'changed' | 'deleted' = 'deleted'): void {
    const tenant = this.requireTenant(tenantId);
    tenant.users.delete(userId);
    tenant.mailboxes.delete(userId);
    tenant.removedUsers.set(userId, reason);
    tenant.userChanges.push({ seq: this.nextSeq(), id: userId });
    this.emit({ kind: 'user', tenantId: tenant.id, userId, changeType: reason === 'deleted' ? 'deleted' : 'updated' });
  }

  /** Puts a message into a folder (new or moved) and logs the change for delta. */
  placeMessage(tenant: SimTenant, mailbox: SimMailbox, message: SimMessage, changeType: 'created' | 'updated'): void {
    const seq = this.nextSeq();
    mailbox.messages.set(message.id, message);
    mailbox.placed.set(message.id, seq);
    mailbox.changes.push({ seq, folderId: message.parentFolderId, messageId: message.id });
    this.emit({ kind: 'message', tenantId: tenant.id, mailbox, message, changeType });
  }

  /** A message changed where it is (read, flagged): delta reports it, as a partial item, in the next round. */
  touchMessage(tenant: SimTenant, mailbox: SimMailbox, message: SimMessage): void {
    mailbox.changes.push({ seq: this.nextSeq(), folderId: message.parentFolderId, messageId: message.id });
    this.emit({ kind: 'message', tenantId: tenant.id, mailbox, message, changeType: 'updated' });
  }

  /** Logs that a message left a folder (delta then reports it as removed there). */
  logMessageLeft(mailbox: SimMailbox, folderId: string, messageId: string): void {
    mailbox.placed.delete(messageId);
    mailbox.changes.push({ seq: this.nextSeq(), folderId, messageId });
  }

  buildMessage(mailbox: SimMailbox, seed: MessageSeed, folderId: string): SimMessage {
    const id = seed.id ?? newGraphId();
    const body = seed.body ?? '';
    const bodyType = seed.bodyType ?? 'text';
    const attachments = (seed.attachments ?? []).map((a) => ({
      id: newGraphId('AAMkAT'),
      name: a.name,
      contentType: a.contentType,
      contentBytes: a.contentBase64,
      size: Buffer.from(a.contentBase64, 'base64').length,
      isInline: false,
    }));
    const internetMessageId =
      seed.internetMessageId ?? `<${createHash('sha1').update(id).digest('hex').slice(0, 20)}@sim.example>`;
    const address = (value: string, name?: string) => ({ emailAddress: { name: name ?? value, address: value } });
    const { folder: _folder, fromName, attachments: _a, to, from, bodyType: _b, ...rest } = seed;
    return {
      ...rest,
      id,
      parentFolderId: folderId,
      subject: seed.subject ?? '',
      from: address(from, fromName),
      sender: address(from, fromName),
      toRecipients: (to ?? [mailbox.address]).map((t) => address(t)),
      ccRecipients: [],
      replyTo: [],
      body: { contentType: bodyType, content: body },
      uniqueBody: { contentType: bodyType, content: body },
      bodyPreview: body.replace(/<[^>]*>/g, '').slice(0, 255),
      receivedDateTime: seed.receivedDateTime,
      sentDateTime: seed.receivedDateTime,
      isRead: seed.isRead ?? false,
      hasAttachments: attachments.length > 0,
      internetMessageId,
      conversationId: (rest.conversationId as string | undefined) ?? newGraphId('AAQkAG'),
      importance: 'normal',
      categories: [],
      internetMessageHeaders: (rest.internetMessageHeaders as unknown[] | undefined) ?? [
        { name: 'Message-ID', value: internetMessageId },
        { name: 'From', value: from },
      ],
      attachments,
    };
  }

  private emit(event: StoreEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private buildTenant(seed: TenantSeed): SimTenant {
    const tenant: SimTenant = {
      id: seed.id.toLowerCase(),
      displayName: seed.displayName,
      consented: seed.consented,
      // As the seed says: a domain without isVerified stays without it (Graph's lists have such rows).
      domains: seed.domains.map((d) => ({ isInitial: false, authenticationType: 'Managed', ...d })),
      users: new Map(seed.users.map((u) => [u.id, { ...u }])),
      removedUsers: new Map(),
      userChanges: [],
      groups: seed.groups.map((g) => ({ ...g })),
      subscribedSkus: seed.subscribedSkus.map((s) => ({ ...s })),
      managedDevices: seed.managedDevices.map((d) => ({ ...d })),
      customers: seed.customers.map((c) => c.toLowerCase()),
      mailboxes: new Map(),
      apps: seed.apps.map((a) => ({ ...a })),
    };
    for (const mailboxSeed of seed.mailboxes) {
      const user = this.findUser(tenant, mailboxSeed.user);
      if (!user) throw new Error(`seed: mailbox ${mailboxSeed.user} is not a user of tenant ${seed.id}`);
      const mailbox: SimMailbox = {
        userId: String(user.id),
        address: String(user.mail ?? user.userPrincipalName),
        folders: new Map(),
        messages: new Map(),
        changes: [],
        placed: new Map(),
      };
      const names = new Set(['Inbox', 'Sent Items', 'Deleted Items', ...mailboxSeed.folders]);
      for (const name of names) this.createFolder(mailbox, name);
      for (const messageSeed of mailboxSeed.messages) {
        const folder = this.resolveFolderByName(mailbox, messageSeed.folder ?? 'Inbox');
        const message = this.buildMessage(mailbox, messageSeed, folder.id);
        const seq = this.nextSeq();
        mailbox.messages.set(message.id, message);
        mailbox.placed.set(message.id, seq);
        mailbox.changes.push({ seq, folderId: folder.id, messageId: message.id });
      }
      tenant.mailboxes.set(mailbox.userId, mailbox);
    }
    return tenant;
  }

  private resolveFolderByName(mailbox: SimMailbox, name: string): SimFolder {
    for (const folder of mailbox.folders.values())
      if (folder.displayName.toLowerCase() === name.toLowerCase()) return folder;
    return this.createFolder(mailbox, name);
  }
}
