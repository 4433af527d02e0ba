import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseHostJson, parseTimeSpan, readHostJson } from '../../dev/runner/hostJson';
import { HOST_MAX_DEQUEUE_COUNT } from '../../shared/storage';

describe('runner: host.json', () => {
  it('parses TimeSpans into milliseconds', () => {
    assert.equal(parseTimeSpan('00:00:10'), 10_000);
    assert.equal(parseTimeSpan('00:10:00'), 600_000);
    assert.equal(parseTimeSpan('1.02:00:00'), 26 * 3600_000);
    assert.equal(parseTimeSpan('00:00:00.250'), 250);
    assert.throws(() => parseTimeSpan('10s'), /not a TimeSpan/);
  });

  it("reads the repository's host.json queue settings", () => {
    const host = readHostJson(join(__dirname, '../../host.json'));
    assert.deepEqual(host.extensions.queues, {
      batchSize: 4,
      newBatchThreshold: 2,
      maxDequeueCount: 5,
      visibilityTimeout: 10_000,
      maxPollingInterval: 2_000,
      messageEncoding: 'base64',
    });
    assert.equal(host.extensions.http.routePrefix, 'api');
    assert.equal(host.functionTimeout, 600_000);
    // The queue consumers record a failure on the host's last delivery: they must count deliveries as the host does.
    assert.equal(HOST_MAX_DEQUEUE_COUNT, host.extensions.queues.maxDequeueCount);
  });

  it("fills in the host's defaults", () => {
    const host = parseHostJson({ version: '2.0', extensions: { queues: { batchSize: 8 } } });
    assert.equal(host.extensions.queues.newBatchThreshold, 4);
    assert.equal(host.extensions.queues.maxDequeueCount, 5);
    assert.equal(host.extensions.queues.visibilityTimeout, 0);
    assert.equal(host.extensions.queues.maxPollingInterval, 60_000);
    assert.equal(parseHostJson({ version: '2.0' }).extensions.http.routePrefix, 'api');
  });

  it('names each wrong field by its path', () => {
    assert.throws(
      () =>
        parseHostJson({
          version: '2.0',
          extensions: { queues: { batchSize: 64, visibilityTimeout: 'soon', messageEncoding: 'hex' } },
        }),
      (error: Error) =>
        /extensions\.queues\.batchSize/.test(error.message) &&
        /extensions\.queues\.visibilityTimeout: "soon" is not a TimeSpan/.test(error.message) &&
        /extensions\.queues\.messageEncoding/.test(error.message),
    );
    assert.throws(() => parseHostJson({ version: '1.0' }), /version/);
    assert.throws(() => readHostJson(join(__dirname, 'missing-host.json')), /cannot read/);
  });
});
