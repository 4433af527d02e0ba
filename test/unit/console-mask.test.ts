import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { haloLinks } from '../../shared/console/haloLinks';
import { maskSecrets, tail } from '../../shared/console/mask';

describe('console: what is shown is masked', () => {
  it('masks known secret values and secret-shaped text in script output', () => {
    const output = [
      'Connecting with client secret s3cr3t-value-123',
      'Password: Winter2025!',
      'ApiKey = abcdef123456',
      'New-ADUser -Name x -Password P@ssw0rd -Enabled $true',
      'token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl',
      'Authorization: Bearer abcdefghijklmnop',
      'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=Zm9vYmFyYmF6cXV4==;',
      'User created: megan.bowen@contoso.com',
    ].join('\n');
    const masked = maskSecrets(output, ['s3cr3t-value-123']);
    for (const leaked of [
      's3cr3t-value-123',
      'Winter2025!',
      'abcdef123456',
      'P@ssw0rd',
      'eyJhbGci',
      'abcdefghijklmnop',
      'Zm9vYmFy',
    ]) {
      assert.ok(!masked.includes(leaked), `${leaked} is masked in:\n${masked}`);
    }
    assert.match(masked, /User created: megan\.bowen@contoso\.com/, 'ordinary output stays readable');
    assert.match(masked, /Password: \*\*\*/);
  });

  it('masks a private key even when a tail or a truncation cut it', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIOnP\n-----END PRIVATE KEY-----';
    assert.equal(maskSecrets(`before\n${key}\nafter`), 'before\n[private key ***]\nafter');
    const cutStart = key.slice(20);
    assert.ok(!maskSecrets(`${cutStart}\nafter`).includes('MC4CAQ'));
    const cutEnd = key.slice(0, 40);
    assert.ok(!maskSecrets(`before\n${cutEnd}`).includes('MC4CAQ'));
  });

  it('keeps the last lines within a size', () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    assert.equal(tail(text, 3), 'line 47\nline 48\nline 49');
    const long = `${'a'.repeat(100)}\n${'b'.repeat(10)}\nend`;
    assert.equal(tail(long, 20, 20), `${'b'.repeat(10)}\nend`);
    assert.equal(tail('x'.repeat(50), 20, 10), 'x'.repeat(10));
  });

  it('links into Halo for tickets, users, companies and sites', () => {
    const links = haloLinks('https://acme.halopsa.com/api/');
    assert.equal(links.ticket(1001), 'https://acme.halopsa.com/tickets?id=1001');
    assert.equal(links.user(7), 'https://acme.halopsa.com/customers?mainview=user&userid=7');
    assert.equal(links.company(10), 'https://acme.halopsa.com/customers?clientid=10');
    assert.equal(links.site(3), 'https://acme.halopsa.com/customers?mainview=site&siteid=3');
  });
});
