import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateResult, NOTE_MAX } from '../../shared/automation/evaluateResult';
import { exampleConfig } from '../../shared/automation/examples';
import type { ScriptConfig } from '../../shared/config/integration/scripts';

const quota = exampleConfig.scripts.find((s) => s.name === 'mailbox-quota')!; // exact "OK"
const starter = exampleConfig.scripts.find((s) => s.name === 'new-starter')!; // partial "New starter created"
const completed = (stdout: string, exitCode = 0, stderr = '') =>
  ({ status: exitCode === 0 ? 'succeeded' : 'failed', stdout, stderr, exitCode }) as const;

describe('evaluateResult', () => {
  it('an exact match (trimmed, CRLF-normalised) moves the ticket to the success status and adds no note', () => {
    const evaluation = evaluateResult(completed('\r\nOK\r\n\r\n'), quota);
    assert.equal(evaluation.outcome, 'success');
    assert.equal(evaluation.jobStatus, 'succeeded');
    assert.deepEqual(evaluation.ticketUpdate, { statusId: 18 });
    assert.equal(evaluation.action, undefined);
    assert.equal(evaluation.scriptQueueCompletion, undefined);
  });

  it('exact match fails on extra output; partial match finds the text inside; exit code is not the judge', () => {
    assert.equal(evaluateResult(completed('Mailbox updated\nOK'), quota).outcome, 'failure');
    const partial = evaluateResult(completed('Creating user…\r\nNew starter created: jo.bloggs\r\n', 1), starter);
    assert.equal(partial.outcome, 'success');
    assert.equal(partial.jobStatus, 'succeeded');
  });

  it('without success text, exit code 0 is success', () => {
    const plain: ScriptConfig = { ...quota, success: { text: ' ', partialMatch: true } };
    assert.equal(evaluateResult(completed('anything'), plain).outcome, 'success');
    const failed = evaluateResult(completed('anything', 3), plain);
    assert.equal(failed.outcome, 'failure');
    assert.match(failed.action?.note ?? '', /ended with exit code 3/);
  });

  it('a mismatch sets the failure status and adds a private note with the message, the reason and the output tail', () => {
    const evaluation = evaluateResult(
      completed('Creating user\nERROR: name taken', 1, 'Write-Error: duplicate'),
      starter,
    );
    assert.equal(evaluation.outcome, 'failure');
    assert.equal(evaluation.jobStatus, 'failed');
    assert.deepEqual(evaluation.ticketUpdate, { statusId: 19 });
    assert.equal(evaluation.action?.private, true);
    assert.equal(evaluation.action?.outcomeId, 7);
    const note = evaluation.action?.note ?? '';
    assert.match(note, /^The new starter could not be provisioned automatically\./);
    assert.match(note, /did not contain the success text "New starter created" \(exit code 1\)/);
    assert.match(note, /Output \(end\):\nCreating user\nERROR: name taken/);
    assert.match(note, /Errors \(end\):\nWrite-Error: duplicate/);
  });

  it('explains timeouts, rejections and interruptions as failures', () => {
    const cases = [
      [{ status: 'timedOut', stdout: 'partial', stderr: '', exitCode: null }, /stopped after its 300 s timeout/],
      [
        { status: 'rejected', stdout: '', stderr: '', exitCode: null, reason: 'badSignature' },
        /refused the job: badSignature/,
      ],
      [
        { status: 'interrupted', stdout: '', stderr: '', exitCode: null, reason: 'worker restarted' },
        /interrupted before it finished: worker restarted/,
      ],
    ] as const;
    for (const [result, reason] of cases) {
      const evaluation = evaluateResult(result, quota);
      assert.equal(evaluation.outcome, 'failure');
      assert.equal(evaluation.jobStatus, result.status);
      assert.deepEqual(evaluation.ticketUpdate, { statusId: 19 });
      assert.match(evaluation.action?.note ?? '', reason);
    }
  });

  it('never writes secrets into notes, and bounds the note', () => {
    const secret = 'Welcome-2024!x';
    const output = `password=${secret}\nBearer abcdefghijkl.mnop\n${'y'.repeat(10_000)}\nused ${secret} again`;
    const evaluation = evaluateResult(completed(output, 1, 'z'.repeat(10_000)), starter, { secrets: [secret] });
    const note = evaluation.action?.note ?? '';
    assert.ok(!note.includes(secret));
    assert.ok(note.length <= NOTE_MAX);
    assert.match(note, /used \*\*\* again/);
    assert.ok(!evaluation.summary.includes(secret));
  });

  it('for Halo queue runs also builds the completion body, and can leave ticket changes to Halo', () => {
    const source = { kind: 'haloScriptQueue', ref: '77' } as const;
    const ok = evaluateResult(completed('OK'), quota, { source });
    assert.deepEqual(ok.scriptQueueCompletion, [{ id: 77, processed: true, success: true, result_message: 'OK' }]);
    const failed = evaluateResult(completed('nope', 1), quota, { source, applyTicketChanges: false });
    assert.equal(failed.ticketUpdate, undefined);
    assert.equal(failed.action, undefined);
    assert.equal(failed.scriptQueueCompletion?.[0]?.success, false);
    assert.match(
      failed.scriptQueueCompletion?.[0]?.result_message ?? '',
      /did not equal the success text "OK".*\nnope$/s,
    );
  });
});
