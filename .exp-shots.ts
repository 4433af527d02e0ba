import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startSettledDemo } from './test/support/consoleDemo';

async function main() {
  const stack = await startSettledDemo();
  const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'hb-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.on('console', (m) => console.log('console:', m.type(), m.text()));
    for (const p of ['', '/mail', '/scripts', '/syncs', '/budget']) {
      await page.goto(`${stack.runner.url}/api/console${p}`);
      await page.screenshot({ path: `/tmp/exp/shot${p.replace('/', '-') || '-overview'}.png`, fullPage: true });
    }
    const runHref = await page
      .goto(`${stack.runner.url}/api/console/syncs`)
      .then(() => page.locator('table.runs a').first().getAttribute('href'));
    await page.goto(`${stack.runner.url}${runHref}`);
    await page.screenshot({ path: '/tmp/exp/shot-run.png', fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${stack.runner.url}/api/console`);
    await page.screenshot({ path: '/tmp/exp/shot-phone.png', fullPage: true });
  } finally {
    await ctx.close();
    await stack.stop();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
