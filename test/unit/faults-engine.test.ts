import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultEngine, type FaultTarget, faultControl, mulberry32, renderStatus } from '../../dev/faults';

const post = (path: string): FaultTarget => ({ method: 'POST', path, scope: 'request' });
const get = (path: string): FaultTarget => ({ method: 'GET', path, scope: 'request' });

/** The kinds of terminal effect for n requests (`-` = none). */
function sequence(engine: FaultEngine, target: FaultTarget, n: number): string {
  return Array.from({ length: n }, () => engine.decide(target).terminal?.kind.charAt(0) ?? '-').join('');
}

describe('fault engine', () => {
  it('mulberry32 is deterministic per seed and uniform enough', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = Array.from({ length: 5 }, a);
    assert.deepEqual(first, Array.from({ length: 5 }, b));
    assert.notDeepEqual(first, Array.from({ length: 5 }, mulberry32(43)));
    const draws = Array.from({ length: 10_000 }, mulberry32(7));
    assert.ok(draws.every((x) => x >= 0 && x < 1));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
  });

  it('reproduces the same sequence of faults from the same seed, and another from another seed', () => {
    const rules = [
      { path: '^/api/Tickets', method: 'POST', probability: 0.3, effect: { kind: 'lostAnswer' as const } },
      { path: '^/api/', probability: 0.2, effect: { kind: 'status' as const, status: 503 } },
    ];
    const run = (seed: number) => {
      const engine = new FaultEngine();
      engine.load({ seed, rules });
      return sequence(engine, post('/api/Tickets'), 60);
    };
    assert.equal(run(2024), run(2024));
    assert.notEqual(run(2024), run(2025));
    assert.match(run(2024), /l/);
    assert.match(run(2024), /s/);
    assert.match(run(2024), /-/);
  });

  it('fires a probability rule about as often as asked', () => {
    const engine = new FaultEngine({ seed: 9 });
    engine.add({ probability: 0.1, effect: { kind: 'drop' } });
    const drops = sequence(engine, get('/x'), 5000)
      .split('')
      .filter((c) => c === 'd').length;
    assert.ok(drops > 400 && drops < 600, `${drops} of 5000`);
  });

  it('counts: `after` lets the first matches through, `times` stops after N', () => {
    const engine = new FaultEngine();
    engine.add({ path: 'Users', after: 2, times: 3, effect: { kind: 'status', status: 500 } });
    assert.equal(sequence(engine, post('/api/Users'), 8), '--sss---');
    assert.equal(sequence(engine, post('/api/Tickets'), 2), '--');
    const [rule] = engine.state().rules;
    assert.equal(rule?.matched, 8);
    assert.equal(rule?.fired, 3);
  });

  it('matches by method, path regex (case-insensitive, with the query), tenant and scope', () => {
    const engine = new FaultEngine();
    engine.add({ method: 'post', path: 'sendmail$', effect: { kind: 'drop' } });
    engine.add({ path: 'page_no=2', effect: { kind: 'status', status: 502 } });
    engine.add({ tenantId: 'AAA', effect: { kind: 'status', status: 429, retryAfter: 3 } });
    engine.add({ scope: 'token', effect: { kind: 'status', status: 503 } });
    engine.add({ scope: 'batch', path: '^/users/', effect: { kind: 'status', status: 504 } });
    assert.equal(engine.decide(post('/users/x/sendMail')).terminal?.kind, 'drop');
    assert.equal(engine.decide(get('/users/x/sendMail')).terminal, undefined);
    assert.deepEqual(engine.decide(get('/api/Users?page_no=2')).terminal, { kind: 'status', status: 502 });
    const tenant = engine.decide({ method: 'GET', path: '/domains', tenantId: 'aaa', scope: 'request' });
    assert.deepEqual(tenant.terminal, { kind: 'status', status: 429, retryAfter: 3 });
    assert.equal(
      engine.decide({ method: 'POST', path: '/t/oauth2/v2.0/token', scope: 'token' }).terminal?.kind,
      'status',
    );
    assert.equal(engine.decide(get('/users/u1')).terminal, undefined, 'batch-only rule skips top-level requests');
    assert.equal(engine.decide({ method: 'GET', path: '/users/u1', scope: 'batch' }).terminal?.kind, 'status');
  });

  it('adds every matching latency, and only the first terminal effect decides', () => {
    const engine = new FaultEngine();
    engine.add({ effect: { kind: 'latency', ms: 30 } });
    engine.add({ name: 'first', effect: { kind: 'status', status: 500 } });
    engine.add({ name: 'second', effect: { kind: 'drop' } });
    engine.add({ effect: { kind: 'latency', ms: 20 } });
    const decision = engine.decide(get('/x'));
    assert.equal(decision.latencyMs, 50);
    assert.equal(decision.terminal?.kind, 'status');
    assert.deepEqual(engine.firedCounts(), { first: 1, second: 0, f1: 1, f4: 1 });
  });

  it('refuses a bad rule with the field named', () => {
    const engine = new FaultEngine();
    assert.throws(() => engine.add({ path: '(', effect: { kind: 'drop' } }), /valid regular expression/);
    const answer = faultControl(engine, 'POST', { rules: [{ effect: { kind: 'status', status: 200 } }] });
    assert.equal(answer.status, 400);
    assert.match((answer.body as { error: string }).error, /rules\.0\.effect\.status/);
  });

  it('is controlled through one handler: add, replace with a seed, list, clear', () => {
    const engine = new FaultEngine();
    assert.equal(faultControl(engine, 'POST', { effect: { kind: 'drop' } }).status, 200);
    assert.equal(faultControl(engine, 'POST', [{ effect: { kind: 'drop' } }]).status, 200);
    assert.equal(engine.state().rules.length, 2);
    const replaced = faultControl(engine, 'PUT', { seed: 77, rules: [{ probability: 0.5, effect: { kind: 'drop' } }] });
    assert.equal(replaced.status, 200);
    assert.equal(engine.seed, 77);
    assert.equal(engine.state().rules.length, 1);
    assert.equal(faultControl(engine, 'DELETE', undefined).status, 200);
    assert.equal(engine.state().rules.length, 0);
  });

  it('renders Halo- and Graph-style error bodies, with Retry-After only when asked', () => {
    const halo429 = renderStatus(
      { kind: 'status', status: 429 },
      { style: 'halo', haloRateLimitMessage: 'Rate Limit X' },
    );
    assert.equal(halo429.headers['retry-after'], undefined);
    assert.equal(JSON.parse(halo429.payload), 'Rate Limit X');
    const halo500 = renderStatus({ kind: 'status', status: 500 }, { style: 'halo' });
    assert.deepEqual(JSON.parse(halo500.payload), { ClassName: 'System.Exception', Message: 'Simulated fault' });
    const graph429 = renderStatus({ kind: 'status', status: 429, retryAfter: 7 }, { style: 'graph' });
    assert.equal(graph429.headers['retry-after'], '7');
    assert.equal(JSON.parse(graph429.payload).error.code, 'TooManyRequests');
    const haloOnGraph = renderStatus({ kind: 'status', status: 503, style: 'halo' }, { style: 'graph' });
    assert.equal(JSON.parse(haloOnGraph.payload).Message, 'Simulated fault');
  });
});
