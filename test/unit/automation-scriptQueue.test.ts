import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleConfig, exampleHaloScripts, exampleQueueRecord } from '../../shared/automation/examples';
import { scriptQueueCompletion, scriptQueueRecordToRunRequest } from '../../shared/automation/haloScriptQueue';

const queueConfig = exampleConfig.haloScriptQueue;

describe('scriptQueueRecordToRunRequest', () => {
  it('maps a record and its PowerShellScript to a run request', () => {
    const result = scriptQueueRecordToRunRequest(exampleQueueRecord, exampleHaloScripts, queueConfig);
    assert.ok(result.ok, !result.ok ? result.reason : '');
    const { request } = result;
    assert.equal(request.script.name, 'halo:1 Exchange mailbox quota');
    assert.equal(request.script.path, 'mailbox-quota.ps1', 'an absolute Windows location is reduced to the file name');
    assert.equal(request.script.passing, 'base64Json', 'method 2 by the default methodMap');
    assert.deepEqual(request.script.success, { text: 'OK', partialMatch: false });
    assert.equal(request.script.successStatusId, 18);
    assert.equal(request.script.failureStatusId, 19);
    assert.equal(request.script.workerGroup, 'default');
    assert.equal(request.ticketId, 1001);
    assert.deepEqual(request.parameters, { Mailbox: 'adele@contoso.com', QuotaGB: 100 });
    assert.deepEqual(request.source, { kind: 'haloScriptQueue', ref: '77' });
    assert.equal(request.dedupeKey, 'haloScriptQueue:77');
  });

  it('honours methodMap, locationPrefixes and the parameter-list form', () => {
    const config = {
      ...queueConfig,
      methodMap: { '2': 'namedParameters' as const },
      locationPrefixes: ['C:\\HaloScripts'],
      workerGroup: 'onprem-ad',
      secretParameters: ['Token'],
    };
    const scripts = [{ ...exampleHaloScripts[0], location: 'c:\\haloscripts\\exchange\\quota.ps1' }];
    const record = {
      ...exampleQueueRecord,
      execution_parameters: [
        { name: 'Mailbox', value: 'a@b.c' },
        { parametername: 'Token', value: 't' },
      ],
    };
    const result = scriptQueueRecordToRunRequest(record, scripts, config);
    assert.ok(result.ok, !result.ok ? result.reason : '');
    assert.equal(result.request.script.path, 'exchange/quota.ps1');
    assert.equal(result.request.script.passing, 'namedParameters');
    assert.equal(result.request.script.workerGroup, 'onprem-ad');
    assert.deepEqual(result.request.script.secretParameters, ['Token']);
    assert.deepEqual(result.request.parameters, { Mailbox: 'a@b.c', Token: 't' });
  });

  it('refuses what it cannot run, saying why', () => {
    const cases: [unknown, unknown[], RegExp][] = [
      [{ ...exampleQueueRecord, processed: true }, exampleHaloScripts, /already processed/],
      [{ ...exampleQueueRecord, pssid: 99 }, exampleHaloScripts, /no PowerShellScript 99/],
      [{ ...exampleQueueRecord, id: 'x' }, exampleHaloScripts, /\$\.id/],
      [exampleQueueRecord, [{ ...exampleHaloScripts[0], method: 7 }], /method 7, absent from methodMap/],
      [exampleQueueRecord, [{ ...exampleHaloScripts[0], location: ' ' }], /no usable location/],
      [
        { ...exampleQueueRecord, execution_parameters: { 'bad name': 1 } },
        exampleHaloScripts,
        /unusable parameter name/,
      ],
    ];
    for (const [record, scripts, reason] of cases) {
      const result = scriptQueueRecordToRunRequest(record, scripts, queueConfig);
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.reason : '', reason);
    }
  });

  it('treats status 0 as no status change and a missing method as named parameters', () => {
    const scripts = [{ id: 4, location: './hello.sh', resultstatus: 0, resultfailedstatus: null }];
    const result = scriptQueueRecordToRunRequest({ id: 5, pssid: 4, faultid: 0 }, scripts, queueConfig);
    assert.ok(result.ok);
    assert.equal(result.request.script.path, 'hello.sh');
    assert.equal(result.request.script.passing, 'namedParameters');
    assert.equal(result.request.script.successStatusId, undefined);
    assert.equal(result.request.script.failureStatusId, undefined);
    assert.equal(result.request.ticketId, undefined);
    assert.deepEqual(result.request.parameters, {});
  });
});

describe('scriptQueueCompletion', () => {
  it('builds the POST body, redacted and bounded', () => {
    const body = scriptQueueCompletion({
      recordId: 77,
      success: false,
      message: `bad password=hunter22 ${'x'.repeat(5000)}`,
      secrets: ['hunter22'],
    });
    assert.equal(body.length, 1);
    assert.equal(body[0]?.id, 77);
    assert.equal(body[0]?.processed, true);
    assert.equal(body[0]?.success, false);
    assert.equal(body[0]?.result_message.length, 2000);
    const short = scriptQueueCompletion({
      recordId: 1,
      success: true,
      message: 'token hunter22 used',
      secrets: ['hunter22'],
    });
    assert.deepEqual(short, [{ id: 1, processed: true, success: true, result_message: 'token *** used' }]);
  });
});
