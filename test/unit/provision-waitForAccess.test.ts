import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { withAccessRetry } from '../../scripts/provision/waitForAccess';
import { checkConfigText } from '../../shared/config/liveConfig';

const forbidden = () => Object.assign(new Error('Forbidden'), { statusCode: 403 });

describe('post-provision: waiting through RBAC propagation', () => {
  it('retries 403 with progress until the role applies', async () => {
    let calls = 0;
    const lines: string[] = [];
    const slept: number[] = [];
    const value = await withAccessRetry(
      async () => {
        calls++;
        if (calls < 4) throw forbidden();
        return 'ok';
      },
      {
        what: 'Key Vault secret x',
        intervalMs: 15_000,
        sleep: async (ms) => void slept.push(ms),
        say: (l) => lines.push(l),
      },
    );
    assert.equal(value, 'ok');
    assert.deepEqual(slept, [15_000, 15_000, 15_000]);
    assert.match(
      lines[2] ?? '',
      /Key Vault secret x: 403 while the role assignment applies; waiting \(45 s of 300 s\)/,
    );
  });

  it('gives up after the timeout with what to do, and never retries other errors', async () => {
    await assert.rejects(
      withAccessRetry(() => Promise.reject(forbidden()), {
        what: 'w',
        timeoutMs: 30_000,
        sleep: async () => {},
        say: () => {},
      }),
      /w: still 403 after 30 s; .*azd hooks run postprovision/,
    );
    let calls = 0;
    await assert.rejects(
      withAccessRetry(
        () => {
          calls++;
          return Promise.reject(Object.assign(new Error('boom'), { statusCode: 500 }));
        },
        { what: 'w', sleep: async () => {}, say: () => {} },
      ),
      /boom/,
    );
    assert.equal(calls, 1);
  });

  it('the starter config it uploads is valid and not empty', () => {
    const checked = checkConfigText(
      readFileSync(join(__dirname, '../../infra/starter-config.json'), 'utf8'),
      'starter',
    );
    assert.ok(checked.ok && !checked.empty);
  });
});
