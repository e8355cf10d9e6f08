// Drives a dashboard.html from a file:// path in headless Chromium the way a leader uses
// it, and prints what it saw as JSON: every request the page made, console errors, how
// long it took to open, the ranking after choosing a quarter and an indicator in the
// selectors, the department table after clicking a district, the matters after clicking
// a department, and the view after a reload of the URL with its hash. Saves screenshots
// into the folder given (overview.png, district.png, department.png, view.png — the
// last one the viewport only, for comparing machines — and the page printed, print.pdf).
// Used by tests/it/dashboard.rs and bench/dashboard.sh.
//
//   node dashboard.mjs FILE SHOTS_DIR [QUARTER_LABEL INDICATOR_LABEL]
//
// FONTCONFIG_FILE in the environment gives Chromium another font configuration (the
// test's machine profile with no fonts at all).
import { chromium } from 'playwright-core';

const [file, shots, quarter, indicator] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const requests = [];
const errors = [];
page.on('request', (r) => requests.push(r.url()));
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.type() + ': ' + m.text()); });
page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));

const started = Date.now();
await page.goto('file://' + file, { waitUntil: 'load' });
await page.waitForSelector('body[data-ready]', { timeout: 60000, state: 'attached' }).catch((e) => { console.log(JSON.stringify({ errors })); throw e; });
const openMs = Date.now() - started;
const navigation = await page.evaluate(() => {
  const n = performance.getEntriesByType('navigation')[0];
  return { domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd, ready: window.__pingjiaReady };
});

const view = () => page.evaluate(() => ({
  hash: location.hash,
  quarter: document.querySelector('#quarter').selectedOptions[0].textContent,
  indicator: document.querySelector('#indicator').selectedOptions[0].textContent,
  heading: document.querySelector('#ranking-heading').textContent,
  crumbs: [...document.querySelectorAll('#crumbs button')].map((b) => b.textContent),
  units: document.querySelector('#units-section').hidden ? null : document.querySelector('#units-heading').textContent,
  matters: document.querySelector('#matters-section').hidden ? null : document.querySelector('#matters-heading').textContent,
}));
const rows = (selector) => page.$$eval(selector + ' tbody tr', (trs) => trs.map((tr) => ({
  key: tr.getAttribute('data-key'),
  cells: [...tr.children].map((td) => td.innerText),
  values: [...tr.children].map((td) => td.getAttribute('data-value')),
})));

if (quarter) await page.selectOption('#quarter', { label: quarter });
if (indicator) await page.selectOption('#indicator', { label: indicator });
const chosen = await view();
const ranking = await rows('#ranking');
const charts = await page.$$eval('.chart', (els) => els.map((e) => {
  const r = e.getBoundingClientRect();
  return { id: e.id, width: r.width, height: r.height, texts: e.querySelectorAll('svg text').length };
}));
await page.screenshot({ path: shots + '/overview.png', fullPage: true });
// A click on a header sorts by that column, largest first (the value column).
await page.click('#ranking thead th:nth-child(3) button');
const sorted = await rows('#ranking');

// Click the first of the ranking (for a province, a city, then its first district) down to
// a district with departments; then its first department.
let district = null, departments = [], department = null, matters = [];
for (let level = 0; level < 3 && !district; level++) {
  const first = (await rows('#ranking')).find((r) => r.key);
  await page.click(`#ranking tr[data-key="${first.key}"] td.name button`);
  if (await page.$('#departments')) district = first.key;
}
if (district) {
  departments = await rows('#departments');
  await page.screenshot({ path: shots + '/district.png', fullPage: true });
  department = departments[0].key;
  await page.click(`#departments tr[data-key="${department}"] td.name button`);
  matters = await rows('#matters');
  await page.screenshot({ path: shots + '/department.png', fullPage: true });
}
const before = await view();
await page.reload({ waitUntil: 'load' });
await page.waitForSelector('body[data-ready]', { state: 'attached' });
const after = await view();
// The same place of the page on every machine, for comparing how it renders.
await page.evaluate(() => window.scrollTo(0, 0));
await page.screenshot({ path: shots + '/view.png' });
await page.emulateMedia({ media: 'print' });
await page.pdf({ path: shots + '/print.pdf', format: 'A4', landscape: true, printBackground: true });
await browser.close();
console.log(JSON.stringify({ requests, errors, openMs, navigation, chosen, ranking, sorted, charts, district, departments, department, matters, before, after }));
