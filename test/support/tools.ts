// Where the PowerShell, Pester and Bicep tests find their tools (scripts/install-optional-tools.sh puts them there),
// and the one rule for a missing tool: skip on a developer's machine, fail under CI=true, where a skip would hide
// that the PowerShell scripts and the Bicep templates were never checked.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { findExecutable } from '../../worker/executables';

const root = join(__dirname, '..', '..');
const home = process.env.HOME ?? '/';

export const TOOL_VERSIONS = { pwsh: '7.6.9', bicep: '0.49.2', pester: '5.7.1' } as const;
export type ToolName = keyof typeof TOOL_VERSIONS;

/** The tool's path, or undefined when this machine does not have it. */
export function findTool(tool: ToolName): string | undefined {
  const candidates: Record<ToolName, () => (string | undefined)[]> = {
    pwsh: () => [findExecutable('pwsh', process.env, process.platform), join(home, '.dotnet', 'tools', 'pwsh')],
    bicep: () => [
      join(root, '.dev', 'tools', 'bicep', 'bicep'),
      findExecutable('bicep', process.env, process.platform),
    ],
    pester: () => [join(root, '.dev', 'tools', 'pester', 'Pester.psd1')],
  };
  return candidates[tool]().find((path): path is string => path !== undefined && existsSync(path));
}

export const ciRequiresTools = () => process.env.CI === 'true';

/**
 * The tools' paths when all are present. When one is missing: under CI=true this throws (the test fails with the
 * install command to run); elsewhere it marks the test skipped with the same text and returns undefined.
 */
export function requireTools<T extends ToolName>(t: TestContext, ...tools: T[]): Record<T, string> | undefined {
  const found = {} as Record<T, string>;
  const missing: T[] = [];
  for (const tool of tools) {
    const path = findTool(tool);
    if (path) found[tool] = path;
    else missing.push(tool);
  }
  if (missing.length === 0) return found;
  const what = missing.map((tool) => `${tool} ${TOOL_VERSIONS[tool]}`).join(', ');
  const message = `${what} not installed (run: bash scripts/install-optional-tools.sh)`;
  if (ciRequiresTools()) throw new Error(`CI=true: ${message}; these tests must run in CI, not skip`);
  t.skip(message);
  return undefined;
}
