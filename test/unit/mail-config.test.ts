import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIntegrationConfig } from '../../shared/config/integration';
import { ConfigError } from '../../shared/config/zodIssues';

const base = {
  id: 'support',
  tenantId: '99999999-9999-4999-8999-999999999999',
  address: 'support@bridgemsp.com',
  ticket: { ticketTypeId: 1, fallbackClientId: 13 },
};

function problems(mailbox: Record<string, unknown>): string[] {
  try {
    parseIntegrationConfig({ mailboxes: [mailbox] });
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
}

describe('mail: mailbox config', () => {
  it('fills the mail defaults', () => {
    const [mailbox] = parseIntegrationConfig({ mailboxes: [base] }).mailboxes;
    assert.equal(mailbox!.tagPattern, '[ID:{id}]');
    assert.equal(mailbox!.matchLegacyTag, true);
    assert.equal(mailbox!.startFrom, 'now');
    assert.equal(mailbox!.includeInlineAttachments, false);
    assert.deepEqual(mailbox!.ignore, { senders: [], subjects: [] });
  });

  it('rejects bad ignore patterns and tag patterns at their JSON path', () => {
    const found = problems({
      ...base,
      ignore: { senders: ['ok@x.com', '@x.com', 'not an address', '/(unclosed/'], subjects: ['fine', '/[bad/'] },
      tagPattern: '[ID]',
    });
    assert.deepEqual(
      found.map((p) => p.split(':')[0]),
      [
        '$.mailboxes[0].ignore.senders[2]',
        '$.mailboxes[0].ignore.senders[3]',
        '$.mailboxes[0].ignore.subjects[1]',
        '$.mailboxes[0].tagPattern',
      ],
    );
    assert.match(found[1]!, /not a valid regular expression/);
  });

  it('requires the fallback site with a fallback user', () => {
    const found = problems({ ...base, ticket: { ticketTypeId: 1, fallbackClientId: 13, fallbackUserId: 5 } });
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^\$\.mailboxes\[0\]\.ticket\.fallbackSiteId: is required when fallbackUserId is set/);
    assert.deepEqual(
      problems({ ...base, ticket: { ticketTypeId: 1, fallbackClientId: 13, fallbackUserId: 5, fallbackSiteId: 50 } }),
      [],
    );
  });
});
