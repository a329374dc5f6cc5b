import { launchChromium } from './tests/e2e/browser';
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
page.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 300)));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(process.argv[2]);
await page.waitForSelector('[data-testid=index-status][data-state=ready]', { timeout: 300000 });
await page.click('[data-testid=tab-models]');
await page.click('[data-testid=run-models]');
for (let i = 0; i < 20; i++) { await page.waitForTimeout(1000); console.log(await page.textContent('#view-models')); if ((await page.$$('[data-testid=model-row]')).length === 2) break; }
await page.screenshot({ path: '/tmp/models.png' });
await browser.close();
