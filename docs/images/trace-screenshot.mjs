// Makes docs/images/trace.png: the trace of one request through the local gateway and the chain, as the trace viewer
// (the Aspire Dashboard started by `ingress up`) shows it. Run by hand, not in CI:
//   npm install --prefix /tmp/shot playwright-core
//   NODE_PATH=/tmp/shot/node_modules node docs/images/trace-screenshot.mjs http://127.0.0.1:18888 <traceId> docs/images/trace.png
// The dashboard is a Blazor Server page (a plain `chromium --screenshot` shows it blank), so a real browser session
// drives it; Debian's chromium is used as it is, no browser download.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [dashboard, traceId, output] = process.argv.slice(2);
if (!dashboard || !traceId || !output) {
  console.error('usage: trace-screenshot.mjs <dashboard url> <trace id> <output.png>');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 450 }, colorScheme: 'light' });
  await page.goto(`${dashboard}/traces/detail/${traceId}`, { waitUntil: 'networkidle' });
  // The span rows are rendered over the page's SignalR circuit after the first paint.
  await page.getByText('service2').first().waitFor({ timeout: 30000 });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: output });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
}
