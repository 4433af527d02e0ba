// Both parameter files cover every parameter main.bicep requires; only the azd one may hold ${...} placeholders
// (azd fills them in; `az deployment` would pass them through literally).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const infra = join(__dirname, '..', '..', 'infra');
const mainBicep = readFileSync(join(infra, 'main.bicep'), 'utf8');
const params = (file: string) =>
  (JSON.parse(readFileSync(join(infra, file), 'utf8')) as { parameters: Record<string, { value: unknown }> })
    .parameters;

const declared = [...mainBicep.matchAll(/^param (\w+) (\w+)( = .+)?$/gm)].map((m) => ({
  name: m[1]!,
  required: !m[3],
}));

describe('infra parameter files', () => {
  it('main.bicep declares its parameters (the check reads them)', () => {
    assert.ok(declared.some((p) => p.name === 'haloBaseUrl' && p.required));
  });

  for (const file of ['main.parameters.json', 'main.parameters.manual.json']) {
    it(`${file} sets every required parameter and nothing main.bicep does not declare`, () => {
      const given = params(file);
      for (const param of declared.filter((p) => p.required)) assert.ok(param.name in given, `${file}: ${param.name}`);
      for (const name of Object.keys(given))
        assert.ok(
          declared.some((p) => p.name === name),
          `${file}: unknown ${name}`,
        );
    });
  }

  it('the manual file (az deployment sub create) has no azd placeholders', () => {
    assert.doesNotMatch(readFileSync(join(infra, 'main.parameters.manual.json'), 'utf8'), /\$\{/);
  });
});
