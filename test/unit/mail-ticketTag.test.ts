import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findTicketTag, stripTicketTags, tagPatternProblem, tagSubject } from '../../shared/mail/ticketTag';

describe('mail: ticket tag', () => {
  it('finds the default [ID:n] tag anywhere in the subject', () => {
    assert.equal(findTicketTag('RE: Printer broken [ID:1234]'), 1234);
    assert.equal(findTicketTag('[ID:77] - VPN'), 77);
    assert.equal(findTicketTag('re: [id:5] lower case'), 5);
  });

  it('reads leading zeros and tolerates spaces inside the brackets', () => {
    assert.equal(findTicketTag('Update [ID:0004242]'), 4242);
    assert.equal(findTicketTag('Update [ID: 42 ]'), 42);
  });

  it('accepts the legacy [ID n] form unless switched off', () => {
    assert.equal(findTicketTag('RE: old [ID 0099]'), 99);
    assert.equal(findTicketTag('RE: old [ID 99]', undefined, { matchLegacy: false }), undefined);
  });

  it('takes the first tag when there are several', () => {
    assert.equal(findTicketTag('FW: [ID 12] and [ID:34]'), 12);
    assert.equal(findTicketTag('FW: [ID:34] and [ID 12]'), 34);
  });

  it('finds nothing in untagged, empty, zero or malformed tags', () => {
    for (const subject of [
      undefined,
      null,
      '',
      'Printer',
      '[ID:]',
      '[ID:0]',
      '[ID:abc]',
      'ID:123',
      '[ID:12a]',
      '[#123]',
    ])
      assert.equal(findTicketTag(subject), undefined, String(subject));
  });

  it('ignores ids too long to be a ticket number', () => {
    assert.equal(findTicketTag('[ID:12345678901234567890]'), undefined);
  });

  it('uses a custom pattern literally (regex characters are not special)', () => {
    assert.equal(findTicketTag('Re: hello {T#0042}', '{T#{id}}'), 42);
    assert.equal(findTicketTag('Re: hello T#0042', '{T#{id}}', { matchLegacy: false }), undefined);
    assert.equal(findTicketTag('Ticket ... 7', 'Ticket ... {id}'), 7);
    assert.equal(findTicketTag('Ticket abc 7', 'Ticket ... {id}'), undefined);
  });

  it('adds the tag once, at the end', () => {
    assert.equal(tagSubject('Printer broken', 1234), 'Printer broken [ID:1234]');
    assert.equal(tagSubject('Printer broken [ID:1234]', 1234), 'Printer broken [ID:1234]');
    assert.equal(tagSubject(tagSubject('x', 5), 5), 'x [ID:5]');
  });

  it('replaces stale tags (other tickets, legacy form, zero padding) with the one for this ticket', () => {
    assert.equal(tagSubject('RE: [ID:99] Printer [ID 98]', 1234), 'RE: Printer [ID:1234]');
    assert.equal(tagSubject('Printer [ID:0001234]', 1234), 'Printer [ID:1234]');
  });

  it('keeps reply/forward prefixes sensible', () => {
    assert.equal(tagSubject('RE: Re: re: Printer', 1), 'RE: Printer [ID:1]');
    assert.equal(tagSubject('Fwd: FW: RE: AW: Printer', 1), 'FW: RE: Printer [ID:1]');
    assert.equal(tagSubject('RE[2]: Printer', 1), 'RE: Printer [ID:1]');
  });

  it('tags an empty subject', () => {
    assert.equal(tagSubject('', 3), '[ID:3]');
    assert.equal(tagSubject(undefined, 3, 'Case #{id}'), 'Case #3');
  });

  it('refuses a ticket id that is not a positive integer', () => {
    assert.throws(() => tagSubject('x', 1.5), TypeError);
    assert.throws(() => tagSubject('x', 0), TypeError);
  });

  it('strips tags and tidies whitespace', () => {
    assert.equal(stripTicketTags('  RE:  [ID:3]  Printer  [ID 4] '), 'RE: Printer');
  });

  it('explains unusable patterns', () => {
    assert.equal(tagPatternProblem('[ID:{id}]'), undefined);
    assert.match(tagPatternProblem('[ID:]') ?? '', /exactly once/);
    assert.match(tagPatternProblem('{id}{id}') ?? '', /exactly once/);
    assert.match(tagPatternProblem('{id}]') ?? '', /fixed text before/);
  });
});
