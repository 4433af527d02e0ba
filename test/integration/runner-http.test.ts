import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HttpRequest } from '@azure/functions';
import { type LocalStorage, startLocalStorage } from '../../dev/azurite';
import '../../functions/health';
import { type LocalRunner, loadFunctionFiles, readHostJson, startLocalRunner } from '../../dev/runner';
import type { Container } from '../../shared/app/container';
import { registeredFunctions } from '../../shared/app/functions';
import { createLogger, memorySink } from '../../shared/runtime/logger';
import type { FunctionDefinition } from '../../shared/runtime/registry';
import { SecretNotFoundError } from '../../shared/secrets';

let tempDir = '';

/** A directory with two function files and two files that are not function files. */
function fixtureDir(): string {
  tempDir = mkdtempSync(join(tmpdir(), 'runner-functions-'));
  const registry = JSON.stringify(join(__dirname, '../../shared/app/functions'));
  const fileFor = (name: string) =>
    `const { defineHttp } = require(${registry});\n` +
    `defineHttp({ name: 'fixture${name.toUpperCase()}', route: 'fixture/${name}', methods: ['GET'], authLevel: 'anonymous', handler: async () => ({ body: '${name}' }) });\n`;
  writeFileSync(join(tempDir, 'b.ts'), fileFor('b'));
  writeFileSync(join(tempDir, 'a.js'), fileFor('a'));
  writeFileSync(join(tempDir, 'types.d.ts'), 'export {};\n');
  writeFileSync(join(tempDir, 'a.test.ts'), 'throw new Error("a test file must not be loaded");\n');
  return tempDir;
}

const keys = { functionKey: 'function-key-1234', masterKey: 'master-key-5678' };
const container = {
  marker: 'the container',
  configStatus: () => ({ state: 'ok', source: 'test', problems: [], features: ['1 mailbox(es)'] }),
} as unknown as Container;

describe('local runner: HTTP', () => {
  let storage: LocalStorage;
  let runner: LocalRunner;
  let loadedNames: string[] = [];
  const sink = memorySink();
  const seen: { request: HttpRequest; deps: unknown }[] = [];

  before(async () => {
    storage = await startLocalStorage();
    // Only our fixture directory and functions/health.ts: other function files need settings of their own.
    const loaded = await loadFunctionFiles(fixtureDir());
    loadedNames = loaded.map((fn) => fn.name);
    const extra: FunctionDefinition<Container>[] = [
      {
        kind: 'http',
        name: 'itemGet',
        route: 'items/{id:int}',
        methods: ['GET'],
        authLevel: 'function',
        handler: async (request, _context, deps) => {
          seen.push({ request, deps });
          return { jsonBody: { id: request.params.id, q: request.query.get('q') }, headers: { 'x-item': 'yes' } };
        },
      },
      {
        kind: 'http',
        name: 'itemsSpecial',
        route: 'items/special',
        methods: ['GET'],
        authLevel: 'anonymous',
        handler: async () => ({ body: 'special' }),
      },
      {
        kind: 'http',
        name: 'echo',
        route: 'echo/{*rest}',
        methods: ['POST', 'PUT'],
        authLevel: 'anonymous',
        handler: async (request) => ({
          status: 201,
          jsonBody: { method: request.method, rest: request.params.rest, body: await request.json() },
        }),
      },
      {
        kind: 'http',
        name: 'adminOnly',
        route: 'admin/thing',
        methods: ['GET'],
        authLevel: 'admin',
        handler: async () => ({ status: 204 }),
      },
      {
        kind: 'http',
        name: 'missingSecret',
        route: 'missing-secret',
        methods: ['GET'],
        authLevel: 'anonymous',
        handler: async () => {
          throw new SecretNotFoundError('job-signing-key', 'the local secrets');
        },
      },
      {
        kind: 'http',
        name: 'explode',
        route: 'explode',
        methods: ['GET'],
        authLevel: 'anonymous',
        handler: async () => {
          throw new Error('boom with password=hunter2 inside');
        },
      },
    ];
    runner = await startLocalRunner({
      functions: [...registeredFunctions(), ...extra],
      container,
      storageConnectionString: storage.connectionString,
      hostJson: readHostJson(join(__dirname, '../../host.json')),
      port: 0,
      keys,
      settings: {},
      log: createLogger({ sink, level: 'debug', secrets: () => [keys.functionKey, keys.masterKey] }),
    });
  });

  after(async () => {
    await runner.stop();
    await storage.stop();
    rmSync(tempDir, { recursive: true, force: true });
  });

  it('loads function files from a directory (skipping .d.ts and test files)', () => {
    assert.deepEqual(
      loadedNames.filter((name) => name.startsWith('fixture')),
      ['fixtureA', 'fixtureB'],
    );
  });

  it('serves functions/health.ts', async () => {
    const response = await fetch(`${runner.url}/api/health`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    const body = (await response.json()) as { status: string; functions: string[] };
    assert.equal(body.status, 'ok');
    assert.ok(body.functions.includes('health'));
    assert.ok(body.functions.includes('fixtureA'));
    const fixture = await fetch(`${runner.url}/api/fixture/b`);
    assert.equal(await fixture.text(), 'b');
  });

  it('rejects a function-level route without a key or with a wrong one, with no body', async () => {
    for (const url of [`${runner.url}/api/items/7`, `${runner.url}/api/items/7?code=nope`]) {
      const response = await fetch(url);
      assert.equal(response.status, 401);
      assert.equal(await response.text(), '');
    }
    const wrongHeader = await fetch(`${runner.url}/api/items/7`, { headers: { 'x-functions-key': 'wrong' } });
    assert.equal(wrongHeader.status, 401);
  });

  it('accepts the function key (header or code) and the master key, and passes params, query and deps', async () => {
    const byHeader = await fetch(`${runner.url}/api/items/7?q=abc`, {
      headers: { 'x-functions-key': keys.functionKey },
    });
    assert.equal(byHeader.status, 200);
    assert.equal(byHeader.headers.get('x-item'), 'yes');
    assert.deepEqual(await byHeader.json(), { id: '7', q: 'abc' });
    const byCode = await fetch(`${runner.url}/api/ITEMS/8?code=${keys.functionKey}`);
    assert.deepEqual(await byCode.json(), { id: '8', q: null });
    const byMaster = await fetch(`${runner.url}/api/items/9`, { headers: { 'x-functions-key': keys.masterKey } });
    assert.equal(byMaster.status, 200);
    assert.equal(seen.at(-1)?.deps, container);
    assert.equal(seen.length, 3);
  });

  it('admin routes take only the master key', async () => {
    const withFunctionKey = await fetch(`${runner.url}/api/admin/thing?code=${keys.functionKey}`);
    assert.equal(withFunctionKey.status, 401);
    const withMaster = await fetch(`${runner.url}/api/admin/thing?code=${keys.masterKey}`);
    assert.equal(withMaster.status, 204);
  });

  it('routes literals before parameters, checks constraints and methods, 404 otherwise', async () => {
    const special = await fetch(`${runner.url}/api/items/special`);
    assert.equal(await special.text(), 'special');
    assert.equal((await fetch(`${runner.url}/api/items/notanumber?code=${keys.functionKey}`)).status, 404);
    assert.equal((await fetch(`${runner.url}/api/health`, { method: 'POST' })).status, 404);
    assert.equal((await fetch(`${runner.url}/api/nowhere`)).status, 404);
    assert.equal((await fetch(`${runner.url}/health`)).status, 404);
  });

  it('hands a JSON body to the handler and maps status and jsonBody back', async () => {
    const response = await fetch(`${runner.url}/api/echo/a/b%20c`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: 1001, note: 'héllo' }),
    });
    assert.equal(response.status, 201);
    assert.deepEqual(await response.json(), {
      method: 'POST',
      rest: 'a/b c',
      body: { ticket: 1001, note: 'héllo' },
    });
  });

  it('answers 500 with a generic message when a handler throws, and logs it with secrets masked', async () => {
    const response = await fetch(`${runner.url}/api/explode`);
    assert.equal(response.status, 500);
    const text = await response.text();
    assert.equal(text, 'Internal Server Error');
    const logged = sink.entries.filter((entry) => entry.level === 'error' && entry.fields.function === 'explode');
    assert.equal(logged.length, 1);
    const line = JSON.stringify(logged[0]);
    assert.match(line, /boom/);
    assert.doesNotMatch(line, /hunter2/);
    assert.match(String(logged[0]?.fields.stack), /runner-http\.test\.ts/);
    const stats = runner.stats();
    assert.equal(stats.explode?.failures, 1);
    assert.equal(stats.health?.successes, 1);
  });

  it('logs a missing secret (an expected configuration problem) by its message, without a stack trace', async () => {
    const response = await fetch(`${runner.url}/api/missing-secret`);
    assert.equal(response.status, 500);
    const logged = sink.entries.filter((entry) => entry.fields.function === 'missingSecret');
    assert.equal(logged.length, 1);
    assert.equal(
      logged[0]?.fields.error,
      "SecretNotFoundError: secret 'job-signing-key' was not found in the local secrets",
    );
    assert.equal('stack' in (logged[0]?.fields ?? {}), false);
  });

  it('never logs the keys', () => {
    const all = JSON.stringify(sink.entries);
    assert.ok(sink.entries.length > 0);
    assert.doesNotMatch(all, new RegExp(keys.functionKey));
    assert.doesNotMatch(all, new RegExp(keys.masterKey));
  });
});
