import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvCell, toCsv } from '../../shared/sync/common/csv';
import { planTenant } from '../../shared/sync/contacts/plan';
import { buildReport } from '../../shared/sync/contacts/report';
import { config, contact, contactInStep, graphUser, halo, tenant } from './sync-fixtures';

describe('CSV', () => {
  it('quotes commas, quotes and newlines', () => {
    assert.equal(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['line\nbreak', 3],
        ],
      ),
      'a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",3\r\n',
    );
  });

  it('defuses formula injection in text cells, not in numbers', () => {
    assert.deepEqual(['=SUM(A1)', '+1', '-2', '@cmd', '\tx', 'plain'].map(csvCell), [
      "'=SUM(A1)",
      "'+1",
      "'-2",
      "'@cmd",
      "'\tx",
      'plain',
    ]);
    assert.equal(csvCell(-5), '-5');
    assert.equal(csvCell('=HYPERLINK("x","y")'), `"'=HYPERLINK(""x"",""y"")"`);
    assert.equal(csvCell(null), '');
  });
});

describe('sync report', () => {
  const ann = graphUser('ann');
  const leaver = contact({
    name: '=cmd|x',
    emailaddress: 'gone@fabrikam.com',
    phonenumber: '+1 555',
    mobilenumber: '0700',
  });
  const matchedPlan = planTenant(
    tenant([ann, graphUser('bob')]),
    halo([contactInStep(ann, { azureoid: '' }), leaver]),
    config(),
  );
  const unmatchedPlan = planTenant(
    tenant([], {
      tenantId: '44444444-4444-4444-8444-444444444444',
      displayName: 'Tailspin Toys',
      defaultDomain: 'tailspintoys.com',
      verifiedDomains: ['tailspintoys.com'],
    }),
    halo(),
    config(),
  );
  const report = buildReport('run-1', [matchedPlan, unmatchedPlan], {
    mode: 'plan',
    startedAt: '2024-01-01T00:00:00.000Z',
    finishedAt: '2024-01-01T00:00:05.000Z',
    tenantOutcomes: [
      { tenantId: matchedPlan.tenantId, status: 'planned' },
      {
        tenantId: unmatchedPlan.tenantId,
        status: 'failed',
        error: 'Graph said: Authorization: Bearer abcdefghijklmnop',
      },
    ],
  });

  it('holds the summary, the plans with reasons and redacted outcomes', () => {
    assert.equal(report.json.runId, 'run-1');
    assert.equal(report.json.summary.matched, 1);
    assert.equal(report.json.summary.unmatched, 1);
    assert.deepEqual(report.json.summary.changes, {
      linkTenant: 1,
      createContact: 1,
      pairContact: 1,
      updateContact: 0,
      reactivateContact: 0,
      deactivateContact: 1,
    });
    assert.ok(report.json.tenants[0]!.changes.every((c) => c.reason.length > 0));
    assert.equal(report.json.tenants[1]!.outcome?.error, 'Graph said: Authorization: Bearer ***');
    assert.doesNotMatch(JSON.stringify(report.json), /abcdefghijklmnop/);
  });

  it('has one CSV view per concern', () => {
    const lines = (text: string) => text.trimEnd().split('\r\n');
    assert.deepEqual(lines(report.csv.companies), [
      'Tenant,Tenant id,Halo company,Company id,Matched by,Detail,Outcome',
      `Fabrikam Inc,${matchedPlan.tenantId},"Fabrikam, Inc.",11,website,website https://www.fabrikam.com/ is the tenant's default domain fabrikam.com,planned`,
    ]);
    assert.equal(lines(report.csv.creates).length, 2);
    assert.match(lines(report.csv.creates)[1]!, /^Fabrikam Inc,bob Person,bob@fabrikam\.com,110,/);
    assert.equal(lines(report.csv.pairings).length, 2);
    assert.equal(lines(report.csv.updates).length, 1);
    assert.equal(lines(report.csv.deactivations).length, 2);
    assert.match(lines(report.csv.unmatched)[1]!, /^Tailspin Toys,44444444-.*https:\/\/tailspintoys\.com/);
    assert.deepEqual(lines(report.csv.inactiveContacts), [
      'Company,Name,Email,Mobile,Phone',
      `"Fabrikam, Inc.",'=cmd|x,gone@fabrikam.com,0700,'+1 555`,
    ]);
  });
});
