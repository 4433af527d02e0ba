import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type GraphSimulator, startGraphSimulator } from '../../dev/graph-sim';
import type { DeltaRemoved, TenantGraphClient } from '../../shared/graph';
import type { MessagesDeltaPageOptions, RawMessage } from '../../shared/graph/mailOperations';
import { simulatorGraph } from '../support/graph';

const SUPPORT = 'support@bridgemsp.com';

describe('graph mail operations against the simulator', () => {
  let sim: GraphSimulator;
  let mail: TenantGraphClient;

  before(async () => {
    sim = await startGraphSimulator();
    mail = simulatorGraph(sim, { retry: { delaySeconds: 0 } }).home();
  });
  after(async () => {
    await sim.stop();
  });

  it('finds existing folders and creates a missing one once', async () => {
    const processed = await mail.ensureMailFolder(SUPPORT, 'Processed by Halo');
    const again = await mail.ensureMailFolder(SUPPORT, 'processed by halo');
    assert.equal(again.id, processed.id);
    const created = await mail.ensureMailFolder(SUPPORT, 'Archive 2025');
    const folders = await mail.listMailFolders(SUPPORT);
    assert.equal(folders.filter((f) => f.displayName === 'Archive 2025').length, 1);
    assert.ok(folders.some((f) => f.id === created.id));
    const inbox = await mail.ensureMailFolder(SUPPORT, 'Inbox');
    assert.equal(inbox.displayName, 'Inbox');
  });

  /** A whole delta round through the page API, as the scanner reads it. */
  const round = async (folderId: string, options: MessagesDeltaPageOptions = {}) => {
    const out = { items: [] as RawMessage[], removed: [] as DeltaRemoved[], pages: 0, deltaLink: '' };
    let link = options.link;
    for (;;) {
      const page = await mail.messagesDeltaPage(SUPPORT, folderId, { ...options, ...(link ? { link } : {}) });
      out.pages++;
      out.items.push(...page.items);
      out.removed.push(...page.removed);
      if (page.deltaLink) return { ...out, deltaLink: page.deltaLink };
      link = page.nextLink;
    }
  };

  it('walks the inbox delta in pages, sees new mail, moves it (same id) and sees it leave', async () => {
    const inbox = await mail.ensureMailFolder(SUPPORT, 'inbox');
    const processed = await mail.ensureMailFolder(SUPPORT, 'Processed by Halo');
    const first = await round(inbox.id, { maxPageSize: 1, select: ['id', 'subject', 'internetMessageId'] });
    assert.equal(first.items.length, 2);
    assert.equal(first.pages, 2);
    const id = sim.deliverMail(SUPPORT, {
      from: 'adele.vance@contoso.com',
      subject: 'Laptop will not boot',
      body: 'It beeps three times.',
      attachments: [
        { name: 'photo.txt', contentType: 'text/plain', contentBase64: Buffer.from('beep').toString('base64') },
      ],
    });
    const second = await round(inbox.id, { link: first.deltaLink });
    assert.deepEqual(
      second.items.map((m) => m.subject),
      ['Laptop will not boot'],
    );
    assert.equal(second.items[0]!.id, id);

    const full = await mail.getMessage(SUPPORT, id, { select: ['id', 'uniqueBody', 'internetMessageHeaders'] });
    assert.equal(full.uniqueBody?.content, 'It beeps three times.');
    assert.ok((full.internetMessageHeaders ?? []).length > 0);
    const attachments = await mail.listAttachments(SUPPORT, id);
    assert.equal(Buffer.from(attachments[0]!.contentBytes ?? '', 'base64').toString(), 'beep');

    await mail.markRead(SUPPORT, id);
    const moved = await mail.moveMessages(SUPPORT, [{ messageId: id, destinationId: processed.id }]);
    const outcome = moved.get(id)!;
    assert.ok(outcome.ok);
    assert.equal((outcome.body as { id: string; isRead: boolean }).id, id);
    assert.equal((outcome.body as { isRead: boolean }).isRead, true);
    const third = await round(inbox.id, { link: second.deltaLink });
    assert.deepEqual(third.removed, [{ id, reason: 'deleted' }]);
    const inProcessed = await mail.listMessagesReceivedSince(SUPPORT, processed.id, '2000-01-01T00:00:00Z');
    assert.deepEqual(
      inProcessed.map((m) => m.id),
      [id],
    );
  });

  it('lists only mail received since a time', async () => {
    const inbox = await mail.ensureMailFolder(SUPPORT, 'inbox');
    const recent = await mail.listMessagesReceivedSince(SUPPORT, inbox.id, '2024-11-05T00:00:00Z');
    assert.deepEqual(
      recent.map((m) => m.subject),
      ['Newsletter: November'],
    );
  });

  it('sends mail: a copy in Sent Items and, for a simulated recipient, in their Inbox', async () => {
    await mail.sendMail(SUPPORT, {
      subject: 'Re: Printer [ID:1001]',
      body: { contentType: 'text', content: 'We are on it.' },
      toRecipients: [{ emailAddress: { address: 'adele.vance@contoso.com' } }],
    });
    assert.equal(sim.sentMail().length, 1);
    const sent = await mail.listMessagesReceivedSince(SUPPORT, 'sentitems', '2000-01-01T00:00:00Z');
    assert.deepEqual(
      sent.map((m) => m.subject),
      ['Re: Printer [ID:1001]'],
    );
    const contoso = sim.store.tenant('11111111-1111-4111-8111-111111111111')!;
    const adele = sim.store.mailboxOf(contoso, 'adele.vance@contoso.com')!;
    assert.deepEqual(
      [...adele.messages.values()].map((m) => m.subject),
      ['Re: Printer [ID:1001]'],
    );
  });
});
