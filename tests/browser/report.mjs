// Loads a report.html from a file:// path in headless Chromium and prints, as JSON,
// every request the page made, its title and text, the rendered size of every chart,
// and, laid out for print at the width of an A4 page inside its margins (182 mm, 688 px),
// each table's width against the width it has. Saves a full-page screenshot and the
// page printed to an A4 PDF beside it (<shot>.pdf). Used by tests/it/report.rs.
import { chromium } from 'playwright-core';

const [file, shot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
const requests = [];
page.on('request', (r) => requests.push(r.url()));
await page.goto('file://' + file, { waitUntil: 'networkidle' });
const title = await page.title();
const text = await page.innerText('body');
const charts = await page.$$eval('figure.chart svg', (els) =>
  els.map((e) => { const r = e.getBoundingClientRect(); return [r.width, r.height]; }));
await page.screenshot({ path: shot, fullPage: true });
await page.emulateMedia({ media: 'print' });
await page.setViewportSize({ width: 688, height: 1000 });
const tables = await page.$$eval('table', (els) =>
  els.map((t) => {
    let h = t.previousElementSibling;
    while (h && !/^H[1-6]$/.test(h.tagName)) h = h.previousElementSibling;
    return { heading: h ? h.innerText : '', width: t.scrollWidth, room: t.parentElement.clientWidth };
  }));
await page.pdf({ path: shot.replace(/\.png$/, '') + '.pdf', format: 'A4', preferCSSPageSize: true });
await browser.close();
console.log(JSON.stringify({ requests, title, text, charts, tables }));
