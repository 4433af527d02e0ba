import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoFlow } from './types';

/** Every dev/demo/flows/*.ts that exports `demoFlow`, in their declared order. */
export async function discoverDemoFlows(dir = join(__dirname, 'flows')): Promise<DemoFlow[]> {
  const flows: DemoFlow[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!/\.(ts|js)$/.test(file) || file.endsWith('.d.ts')) continue;
    const module = (await import(join(dir, file))) as { demoFlow?: DemoFlow };
    if (module.demoFlow) flows.push(module.demoFlow);
  }
  return flows.sort((a, b) => a.order - b.order);
}
