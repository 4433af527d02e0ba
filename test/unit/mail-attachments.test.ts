import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type GraphAttachment, selectAttachments } from '../../shared/mail/attachments';

const file = (id: string, size: number, extra: Partial<GraphAttachment> = {}): GraphAttachment => ({
  '@odata.type': '#microsoft.graph.fileAttachment',
  id,
  name: `${id}.pdf`,
  size,
  isInline: false,
  ...extra,
});

describe('mail: attachment selection', () => {
  it('adds files in order while the total stays within the cap', () => {
    const result = selectAttachments([file('a', 400), file('b', 500), file('c', 200), file('d', 100)], 1000);
    assert.deepEqual(
      result.add.map((a) => a.id),
      ['a', 'b', 'd'],
    );
    assert.equal(result.totalBytes, 1000);
    assert.deepEqual(result.skip, [
      { id: 'c', name: 'c.pdf', reason: 'totalLimit', detail: 'would bring the total to 1100 bytes, over 1000' },
    ]);
  });

  it('skips a single file over the cap, item and reference attachments, and inline images', () => {
    const result = selectAttachments(
      [
        file('big', 5000),
        file('mail', 10, { '@odata.type': '#microsoft.graph.itemAttachment', name: 'Fwd message' }),
        file('link', 10, { '@odata.type': '#microsoft.graph.referenceAttachment' }),
        file('logo', 10, { isInline: true, contentId: 'logo@x', name: 'logo.png' }),
        file('ok', 10),
      ],
      1000,
    );
    assert.deepEqual(
      result.add.map((a) => a.id),
      ['ok'],
    );
    assert.deepEqual(
      result.skip.map((s) => [s.id, s.reason]),
      [
        ['big', 'tooLarge'],
        ['mail', 'notAFile'],
        ['link', 'notAFile'],
        ['logo', 'inline'],
      ],
    );
    assert.equal(result.skip[1]!.detail, 'itemAttachment is not a file');
  });

  it('includes inline images when asked', () => {
    const result = selectAttachments([file('logo', 10, { isInline: true })], 100, { includeInline: true });
    assert.equal(result.add.length, 1);
    assert.equal(result.skip.length, 0);
  });

  it('takes a listing without @odata.type as files', () => {
    const result = selectAttachments([{ id: 'x', size: 1 }], 10);
    assert.equal(result.add.length, 1);
  });
});
