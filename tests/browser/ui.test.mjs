#!/usr/bin/env node
// Browser test of the policy-search web page: drives Debian's chromium
// (headless) through playwright-core against a running server whose index
// holds the repository's corpus/.
//
//   node tests/browser/ui.test.mjs --base-url http://127.0.0.1:PORT [--screenshots DIR]
//
// Prints "ok - ..." / "not ok - ..." per check and "N passed, M failed";
// exits 0 only when every check passed. Every wait is bounded (10 s).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const WAIT = 10_000;       // the longest any single wait may take
const OVERALL = 180_000;   // the whole run, whatever happens

function parseArgs(argv) {
  const opts = { baseUrl: process.env.POLICY_SEARCH_URL || '', screenshots: path.join(os.tmpdir(), 'policy-search-ui-screenshots'), chromium: process.env.CHROMIUM || '/usr/bin/chromium' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--base-url') opts.baseUrl = value();
    else if (a.startsWith('--base-url=')) opts.baseUrl = a.slice(11);
    else if (a === '--screenshots') opts.screenshots = value();
    else if (a.startsWith('--screenshots=')) opts.screenshots = a.slice(14);
    else if (a === '--chromium') opts.chromium = value();
    else if (a === '-h' || a === '--help') {
      console.log('usage: node ui.test.mjs --base-url http://127.0.0.1:PORT [--screenshots DIR] [--chromium PATH]');
      process.exit(0);
    } else throw new Error(`unknown argument: ${a}`);
  }
  if (!opts.baseUrl) throw new Error('--base-url is required (the URL of a running policy-search serve)');
  opts.baseUrl = opts.baseUrl.replace(/\/+$/, '');
  return opts;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(`ui.test: ${e.message}`);
  process.exit(2);
}
fs.mkdirSync(opts.screenshots, { recursive: true });

let passed = 0;
let failed = 0;
let shotNo = 0;
let browser = null;
let page = null;

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}`);
    for (const line of String(e && e.message ? e.message : e).split('\n').slice(0, 6)) console.log(`  # ${line}`);
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function shot(name) {
  if (!page) return;
  shotNo++;
  const file = path.join(opts.screenshots, `${String(shotNo).padStart(2, '0')}-${name}.png`);
  try {
    await page.screenshot({ path: file, fullPage: false, timeout: WAIT });
  } catch (e) {
    console.log(`  # screenshot ${file} failed: ${e.message.split('\n')[0]}`);
  }
}

const byTestId = (id) => `[data-testid="${id}"]`;

/** Waits until the page has rendered a search whose result count is n. */
async function waitTotal(n) {
  await page.waitForFunction((want) => {
    const el = document.querySelector('[data-testid="result-count"]');
    const view = document.querySelector('[data-testid="results-view"]');
    return el && view && !view.hidden && el.dataset.total === String(want)
      && document.querySelector('main').getAttribute('aria-busy') !== 'true';
  }, n, { timeout: WAIT });
}

async function total() {
  return page.$eval(byTestId('result-count'), (el) => Number(el.dataset.total));
}

async function resultIds() {
  return page.$$eval(byTestId('result-item'), (els) => els.map((e) => e.dataset.id));
}

function urlState() {
  const u = new URL(page.url());
  return { q: u.searchParams.get('q'), filters: u.searchParams.getAll('filter'), view: u.searchParams.get('view'), doc: u.searchParams.get('doc'), sort: u.searchParams.get('sort') };
}

async function search(q, how = 'click') {
  const input = page.locator(byTestId('search-input'));
  await input.fill(q, { timeout: WAIT });
  if (how === 'enter') await input.press('Enter', { timeout: WAIT });
  else await page.click(byTestId('search-submit'), { timeout: WAIT });
}

async function currentMark() {
  return page.$$eval('[data-testid="doc-mark"]', (els) => els.findIndex((e) => e.classList.contains('current')));
}

/** A small RFC 4180 reader for the downloaded CSV files. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else if (c === '\n') throw new Error(`bare LF in CSV at character ${i}`);
    else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

async function download(testId) {
  const [dl] = await Promise.all([
    page.waitForEvent('download', { timeout: WAIT }),
    page.click(byTestId(testId), { timeout: WAIT }),
  ]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

const watchdog = setTimeout(async () => {
  console.log(`not ok - the whole run finished within ${OVERALL / 1000} s`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  try { if (browser) await browser.close(); } catch { /* exiting anyway */ }
  process.exit(1);
}, OVERALL);

const pageErrors = [];
const foreignRequests = [];
const serverErrors = [];

try {
  browser = await chromium.launch({
    executablePath: opts.chromium,
    headless: true,
    timeout: WAIT,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.setDefaultNavigationTimeout(WAIT);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    // A 400 for the malformed query is expected; failed responses are checked below.
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) pageErrors.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(`${opts.baseUrl}/`) && !u.startsWith('data:') && !u.startsWith('blob:')) foreignRequests.push(u);
  });
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (r.status() >= 500 || (r.status() >= 400 && !u.pathname.startsWith('/api/search'))) serverErrors.push(`${r.status()} ${r.url()}`);
  });

  await check('the page loads with a labelled search box', async () => {
    const res = await page.goto(`${opts.baseUrl}/`, { waitUntil: 'load', timeout: WAIT });
    assert(res && res.ok(), `GET / answered ${res && res.status()}`);
    await page.waitForSelector(byTestId('search-input'), { state: 'visible' });
    const labelled = await page.$eval(byTestId('search-input'), (el) => !!(el.labels && el.labels.length && el.labels[0].textContent.trim()));
    assert(labelled, 'the search input has no <label>');
    await page.waitForSelector(byTestId('welcome-view'), { state: 'visible' });
  });
  await shot('start');

  await check('keyboard: Tab reaches the search box and Enter submits', async () => {
    let focused = '';
    for (let i = 0; i < 4 && focused !== 'search-input'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement && document.activeElement.dataset.testid);
    }
    assert(focused === 'search-input', `Tab focused ${focused || 'nothing'} instead of the search box`);
    const outline = await page.$eval(byTestId('search-input'), (el) => getComputedStyle(el).outlineStyle);
    assert(outline !== 'none', 'the focused search box shows no focus outline');
    await page.keyboard.type('cooperation');
    await page.keyboard.press('Enter');
    await waitTotal(5);
    assert(urlState().q === 'cooperation', `URL q is ${urlState().q}`);
  });

  await check('a phrase search shows 2 results with "Green Envoys Program" marked in snippets', async () => {
    await search('"green envoys program"');
    await waitTotal(2);
    const count = await page.textContent(byTestId('result-count'));
    assert(/\b2\b/.test(count), `result count says "${count}"`);
    assert((await resultIds()).length === 2, 'not 2 result items');
    const marks = await page.$$eval(`${byTestId('snippet')} mark`, (els) => els.map((e) => e.textContent));
    assert(marks.length > 0, 'no <mark> in the snippets');
    assert(marks.every((m) => m.toLowerCase() === 'green envoys program'), `marks: ${JSON.stringify(marks)}`);
    assert(marks.includes('Green Envoys Program'), `no mark reads "Green Envoys Program": ${JSON.stringify(marks)}`);
    const meta = await page.$eval(byTestId('result-item'), (el) => el.textContent);
    assert(/2016/.test(meta), 'the first result shows no year');
  });
  await shot('phrase-results');

  await check('the facet sidebar shows organisations with counts', async () => {
    await page.waitForSelector(`${byTestId('facet-sidebar')} ${byTestId('facet-organisation')}`, { state: 'visible' });
    const rows = await page.$$eval(`${byTestId('facet-organisation')} input[type=checkbox]`, (els) => els.map((e) => ({
      key: e.dataset.key, count: e.closest('label').querySelector('.facet-count').textContent.trim(),
    })));
    assert(rows.length > 0, 'no organisation checkboxes');
    assert(rows.every((r) => /^\d+$/.test(r.count) && Number(r.count) > 0), `counts: ${JSON.stringify(rows)}`);
    for (const f of ['year', 'area']) {
      assert(await page.$(byTestId(`facet-${f}`)), `no ${f} facet`);
    }
  });

  let before = [];
  await check('ticking the organisation facet "epa" narrows 5 results to 1 and puts the filter in the URL', async () => {
    await search('cooperation');
    await waitTotal(5);
    before = await resultIds();
    const box = byTestId('facet-organisation-epa');
    if (!(await page.$(box))) {
      // Only the top values show at first; "Show more" lists the rest.
      await page.click(byTestId('facet-more-organisation'));
    }
    await page.check(box);
    await waitTotal(1);
    const after = await resultIds();
    assert(after.length === 1 && JSON.stringify(after) !== JSON.stringify(before), `results did not change: ${after}`);
    const { filters } = urlState();
    assert(filters.some((f) => /^(organisation|org):"?epa"?$/i.test(f)), `URL filters: ${JSON.stringify(filters)}`);
    assert(await page.isChecked(byTestId('facet-organisation-epa')), 'the checkbox is not ticked after the reload of results');
    const chips = await page.$$eval(byTestId('active-filter'), (els) => els.length);
    assert(chips === 1, `${chips} active filter chips`);
  });
  await shot('facet-epa');

  await check('unticking the facet restores the 5 results', async () => {
    await page.uncheck(byTestId('facet-organisation-epa'));
    await waitTotal(5);
    assert(JSON.stringify(await resultIds()) === JSON.stringify(before), 'results differ from before the filter');
    assert(urlState().filters.length === 0, `URL still has ${urlState().filters}`);
  });

  await check('clicking a year histogram bar filters by that year', async () => {
    const bar = byTestId('histogram-year-2016');
    await page.waitForSelector(bar, { state: 'visible' });
    await page.click(bar);
    await waitTotal(2);
    assert(urlState().filters.includes('year:2016'), `URL filters: ${JSON.stringify(urlState().filters)}`);
    assert((await page.getAttribute(bar, 'aria-pressed')) === 'true', 'the bar is not shown as selected');
  });
  await shot('histogram-year');

  await check('dragging across histogram bars selects a year range', async () => {
    await page.click(byTestId('clear-filters'));
    await waitTotal(5);
    await page.locator(byTestId('histogram-years_mentioned')).scrollIntoViewIfNeeded();
    const a = await page.locator(byTestId('histogram-years_mentioned-2010')).boundingBox();
    const b = await page.locator(byTestId('histogram-years_mentioned-2015')).boundingBox();
    assert(a && b, 'no years_mentioned bars for 2010 and 2015');
    await page.mouse.move(a.x + a.width / 2, a.y + a.height - 4);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2 + a.width / 2, a.y + a.height - 4, { steps: 4 });
    await page.mouse.move(b.x + b.width / 2, b.y + b.height - 4, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(() => new URL(location.href).searchParams.getAll('filter').includes('years_mentioned:2010..2015'), null, { timeout: WAIT });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="histogram-years_mentioned-"][aria-pressed="true"]').length === 6, null, { timeout: WAIT });
  });
  await shot('histogram-range');

  await check('"Clear all" removes every filter', async () => {
    await page.click(byTestId('clear-filters'));
    await waitTotal(5);
    assert(urlState().filters.length === 0, `URL filters: ${urlState().filters}`);
  });

  const queryBeforeShares = urlState().q || '';
  await check('the year histogram switches to shares of each year\'s documents, kept in the URL', async () => {
    // Expected: per year, matching documents of "water" over all documents
    // of that year (a search for every dated document), from the API itself.
    const expected = await page.evaluate(async () => {
      // Every dated document matches the filter alone.
      const histogramOf = async (q) => {
        const r = await fetch(`/api/search?q=${encodeURIComponent(q)}&filter=${encodeURIComponent("year:>=1000")}&limit=0&facet_limit=1000`);
        const j = await r.json();
        return Object.fromEntries(((j.facets.year || {}).histogram || []).map((v) => [v.key, v.count]));
      };
      const all = await histogramOf('');
      const some = await histogramOf('water');
      return Object.fromEntries(Object.keys(all).map((y) => [y, { count: some[y] || 0, total: all[y] }]));
    });
    assert(Object.keys(expected).length > 0, 'no years in the index');
    await search('water');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'water'
      && document.querySelector('main').getAttribute('aria-busy') !== 'true', null, { timeout: WAIT });
    await page.click(byTestId('hist-mode-year-shares'));
    await page.waitForFunction(() => new URL(location.href).searchParams.get('hist') === 'shares', null, { timeout: WAIT });
    await page.waitForSelector(`${byTestId('hist-mode-year-shares')}[aria-pressed="true"]`, { timeout: WAIT });
    let partial = 0;
    for (const [year, e] of Object.entries(expected)) {
      if (e.count === 0) continue;
      const bar = byTestId(`histogram-year-${year}`);
      const count = Number(await page.getAttribute(bar, 'data-count'));
      const total = Number(await page.getAttribute(bar, 'data-total'));
      const value = Number(await page.getAttribute(bar, 'data-value'));
      assert(count === e.count && total === e.total, `${year}: ${count}/${total}, expected ${e.count}/${e.total}`);
      assert(Math.abs(value - e.count / e.total) < 1e-9, `${year}: share ${value}`);
      const text = await page.getAttribute(bar, 'aria-label');
      assert(text.includes(`${Math.round((100 * e.count) / e.total)}%`), `${year}: label ${text}`);
      if (e.count < e.total) partial++;
    }
    assert(partial > 0, 'no year where only some documents match: the check would not tell shares from counts');
    await page.locator(byTestId('histogram-year')).scrollIntoViewIfNeeded();
  });
  await shot('histogram-shares');

  await check('the histogram mode survives a reload and switches back to counts', async () => {
    await page.reload();
    await page.waitForSelector(`${byTestId('hist-mode-year-shares')}[aria-pressed="true"]`, { timeout: WAIT });
    await page.click(byTestId('hist-mode-year-counts'));
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('hist'), null, { timeout: WAIT });
    await page.waitForSelector(`${byTestId('hist-mode-year-counts')}[aria-pressed="true"]`, { timeout: WAIT });
    const bar = page.locator('[data-testid^="histogram-year-"]:not(.zero)').first();
    assert(Number(await bar.getAttribute('data-value')) === Number(await bar.getAttribute('data-count')), 'counts mode shows shares');
    await search(queryBeforeShares);
    await waitTotal(5);
  });

  await check('a document opens with its text, every match marked, and next/prev (buttons and n/p) move the current match', async () => {
    const firstId = (await resultIds())[0];
    await page.click(`${byTestId('result-item')} >> nth=0 >> ${byTestId('result-link')}`);
    await page.waitForSelector(byTestId('document-view'), { state: 'visible' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="doc-mark"]').length > 2, null, { timeout: WAIT });
    const u = urlState();
    assert(u.view === 'document' && u.doc === firstId, `URL: ${page.url()}`);
    const textLen = await page.$eval(byTestId('document-text'), (el) => el.textContent.length);
    assert(textLen > 500, `document text is only ${textLen} characters`);
    const marks = await page.$$eval('[data-testid="doc-mark"]', (els) => els.map((e) => e.textContent.toLowerCase()));
    assert(marks.every((m) => m.startsWith('cooperat')), `marks: ${JSON.stringify(marks.slice(0, 5))}`);
    assert(await page.$(`${byTestId('document-fields')} dd`), 'no extracted fields shown');
    assert((await currentMark()) === 0, `current match is ${await currentMark()} on opening`);
    await page.click(byTestId('next-match'));
    assert((await currentMark()) === 1, `after Next the current match is ${await currentMark()}`);
    await page.locator(byTestId('document-title')).focus();
    await page.keyboard.press('n');
    assert((await currentMark()) === 2, `after n the current match is ${await currentMark()}`);
    await page.keyboard.press('p');
    assert((await currentMark()) === 1, `after p the current match is ${await currentMark()}`);
    await page.click(byTestId('prev-match'));
    assert((await currentMark()) === 0, `after Prev the current match is ${await currentMark()}`);
    await page.click(byTestId('prev-match'));
    assert((await currentMark()) === marks.length - 1, 'Prev from the first match does not wrap to the last');
    const counter = await page.textContent(byTestId('match-counter'));
    assert(counter.includes(String(marks.length)), `counter says ${counter}`);
  });
  await shot('document');

  await check('browser Back returns to the results of the same query', async () => {
    await page.goBack({ timeout: WAIT });
    await waitTotal(5);
    assert(await page.isHidden(byTestId('document-view')), 'the document view is still shown');
    assert((await page.inputValue(byTestId('search-input'))) === 'cooperation', 'the search box lost the query');
    assert(urlState().q === 'cooperation' && !urlState().view, `URL: ${page.url()}`);
  });
  await shot('back-to-results');

  await check('the results export downloads a CSV of every result', async () => {
    const { name, text } = await download('export-results');
    const rows = parseCsv(text);
    assert(/\.csv$/.test(name), `file name ${name}`);
    assert(rows[0][0] === 'rank' && rows[0].includes('title'), `header: ${rows[0]}`);
    assert(rows.length === 1 + 5, `${rows.length - 1} data rows, want 5`);
    assert(rows.slice(1).every((r) => r.length === rows[0].length), 'rows of different lengths');
  });

  let kwicDoc = [];
  await check('the concordance lists aligned lines', async () => {
    await page.click(byTestId('tab-kwic'));
    await page.waitForSelector(byTestId('kwic-view'), { state: 'visible' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="kwic-line"]').length > 10, null, { timeout: WAIT });
    assert(urlState().view === 'kwic', `URL: ${page.url()}`);
    // Every left context's text ends at the same x (right-aligned against the
    // match column), every right context starts at the same x, in a monospace font.
    const geo = await page.$$eval('[data-testid="kwic-line"]', (rows) => rows.slice(0, 40).map((r) => {
      const left = r.querySelector('.k-left');
      const range = document.createRange();
      range.selectNodeContents(left);
      const l = range.getBoundingClientRect();
      range.selectNodeContents(r.querySelector('.k-right'));
      const rr = range.getBoundingClientRect();
      return { leftEnd: l.right, rightStart: rr.left, text: left.textContent, mono: getComputedStyle(left).fontFamily };
    }));
    assert(geo.every((g) => /mono/i.test(g.mono)), `left context font: ${geo[0].mono}`);
    const ends = geo.map((g) => Math.round(g.leftEnd));
    assert(Math.max(...ends) - Math.min(...ends) <= 1, `left contexts end at x = ${[...new Set(ends)]}`);
    const starts = geo.map((g) => Math.round(g.rightStart));
    assert(Math.max(...starts) - Math.min(...starts) <= 1, `right contexts start at x = ${[...new Set(starts)]}`);
    kwicDoc = geo.map((g) => g.text);
    const matches = await page.$$eval('[data-testid="kwic-line"] .k-match', (els) => els.map((e) => e.textContent.toLowerCase()));
    assert(matches.every((m) => m.startsWith('cooperat')), `matches: ${matches.slice(0, 5)}`);
  });
  await shot('kwic');

  await check('sorting the concordance by left context reorders the lines', async () => {
    await page.selectOption(byTestId('kwic-sort'), 'left');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'left', null, { timeout: WAIT });
    await page.waitForFunction((firstTexts) => {
      const now = [...document.querySelectorAll('[data-testid="kwic-line"] .k-left')].slice(0, 40).map((e) => e.textContent);
      return now.length > 10 && JSON.stringify(now) !== JSON.stringify(firstTexts);
    }, kwicDoc, { timeout: WAIT });
  });
  await shot('kwic-sorted-left');

  await check('the concordance export downloads every line as CSV', async () => {
    const occurrences = Number((await page.textContent(byTestId('kwic-occurrences'))).replace(/\D/g, ''));
    const { text } = await download('export-kwic');
    const rows = parseCsv(text);
    assert(JSON.stringify(rows[0]) === JSON.stringify(['doc_id', 'title', 'year', 'organisations', 'left', 'match', 'right']), `header: ${rows[0]}`);
    assert(rows.length - 1 === occurrences, `${rows.length - 1} lines exported, the page says ${occurrences} occurrences`);
  });

  await check('reloading restores the state from the URL (query, filter, view)', async () => {
    await page.goto(`${opts.baseUrl}/?q=cooperation&filter=${encodeURIComponent('organisation:"epa"')}`, { timeout: WAIT });
    await waitTotal(1);
    assert(await page.isChecked(byTestId('facet-organisation-epa')), 'the epa checkbox is not ticked');
    await page.reload({ timeout: WAIT });
    await waitTotal(1);
    assert((await page.inputValue(byTestId('search-input'))) === 'cooperation', 'the query was not restored');
  });

  await check('a malformed query shows the error box with position and hint', async () => {
    await search('"unterminated');
    await page.waitForSelector(byTestId('error-box'), { state: 'visible' });
    const hint = (await page.textContent(byTestId('error-hint'))) || '';
    assert(hint.replace(/^Hint:\s*/, '').trim().length > 0, 'no hint');
    const message = await page.textContent(byTestId('error-message'));
    assert(/unterminated/i.test(message), `message: ${message}`);
    assert(await page.isVisible(byTestId('error-caret')), 'no caret under the query');
    assert((await page.getAttribute(byTestId('search-input'), 'aria-invalid')) === 'true', 'the search box is not marked invalid');
  });
  await shot('query-error');

  await check('a corrected query clears the error and keeps the filters', async () => {
    await search('"green envoys program"', 'enter');
    await page.waitForSelector(byTestId('no-results'), { state: 'visible' });
    assert(await page.isHidden(byTestId('error-box')), 'the error box is still shown');
    assert(urlState().filters.length === 1, `URL filters: ${urlState().filters}`);
    await page.click(byTestId('clear-filters'));
    await waitTotal(2);
  });
  await shot('corrected-query');

  await check('a filter value that names nothing shows a warning with the closest values', async () => {
    await page.goto(`${opts.baseUrl}/?q=cooperation&filter=${encodeURIComponent('org:UN')}`, { timeout: WAIT });
    await waitTotal(0);
    await page.waitForSelector(byTestId('warning'), { state: 'visible', timeout: WAIT });
    const text = await page.textContent(byTestId('warning'));
    assert(/org:UN matches no organisation/.test(text), `warning: ${text}`);
    assert(/United Nations Environment Programme/.test(text), `no suggestion in: ${text}`);
    // A search whose filters name something shows none.
    await page.goto(`${opts.baseUrl}/?q=cooperation&filter=${encodeURIComponent('org:EPA')}`, { timeout: WAIT });
    await waitTotal(1);
    assert(await page.isHidden(byTestId('warning-box')), 'the warning box is still shown');
    // Leave no filter behind for the checks that follow.
    await page.goto(`${opts.baseUrl}/?q=cooperation`, { timeout: WAIT });
    await waitTotal(5);
  });
  await shot('filter-warning');

  await check('a misspelled query offers "Did you mean" in place of the advice, and the link runs the corrected query', async () => {
    await page.goto(`${opts.baseUrl}/?q=${encodeURIComponent('cooperatoin')}`, { timeout: WAIT });
    await waitTotal(0);
    const link = `${byTestId('no-results')} ${byTestId('did-you-mean-link')}`;
    await page.waitForSelector(link, { state: 'visible', timeout: WAIT });
    const text = await page.textContent(byTestId('no-results'));
    assert(/Did you mean cooperation\?/.test(text), `no-results line: ${text}`);
    assert(!/Try fewer words/.test(text), `the advice is still shown: ${text}`);
    await shot('did-you-mean');
    await page.click(link);
    await waitTotal(5);
    assert(urlState().q === 'cooperation', `URL q: ${urlState().q}`);
    assert(await page.inputValue('#q') === 'cooperation', 'the search box does not hold the corrected query');
    assert(await page.isHidden(byTestId('did-you-mean')), 'the suggestion is still shown');
  });

  await check('a PDF names the page of each snippet, and its document view marks every page break before the match', async () => {
    // corpus/'s 8-page PDF holds "lesser developed countries" on page 8 alone (pdftotext -f 8 -l 8).
    await search('"lesser developed countries"', 'enter');
    await waitTotal(1);
    const pageLabel = await page.textContent(byTestId('snippet-page'));
    assert(pageLabel.trim() === 'p. 8', `snippet page says "${pageLabel}"`);
    await page.click(`${byTestId('result-item')} >> nth=0 >> ${byTestId('result-link')}`);
    await page.waitForSelector(byTestId('document-view'), { state: 'visible' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="doc-mark"]').length === 1, null, { timeout: WAIT });
    const breaks = await page.$$eval('[data-testid="page-break"]', (els) => els.map((e) => e.dataset.page));
    assert(JSON.stringify(breaks) === JSON.stringify(['1', '2', '3', '4', '5', '6', '7', '8']), `page breaks: ${JSON.stringify(breaks)}`);
    const afterPage8 = await page.evaluate(() => {
      const mark = document.querySelector('[data-testid="doc-mark"]');
      const page8 = document.querySelector('[data-testid="page-break"][data-page="8"]');
      return Boolean(page8.compareDocumentPosition(mark) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert(afterPage8, 'the match is not after the page 8 marker');
    await page.goBack({ timeout: WAIT });
    await waitTotal(1);
  });
  await shot('pdf-pages');

  await check('results sort by title and by year, from the Sort menu and in the URL', async () => {
    await page.goto(`${opts.baseUrl}/?q=cooperation`, { timeout: WAIT });
    await waitTotal(5);
    await page.selectOption(byTestId('result-order'), 'title', { timeout: WAIT });
    await page.waitForFunction(() => new URL(location.href).searchParams.get('order') === 'title', null, { timeout: WAIT });
    await page.waitForFunction(() => {
      const first = document.querySelector('[data-testid="result-item"] [data-testid="result-link"]');
      return first && first.textContent.trim() === 'About Us';
    }, null, { timeout: WAIT });
    const titles = await page.$$eval(`${byTestId('result-item')} ${byTestId('result-link')}`, (els) => els.map((e) => e.textContent.trim()));
    const sorted = [...titles].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
    assert(JSON.stringify(titles) === JSON.stringify(sorted), `titles in order: ${JSON.stringify(titles)}`);
    await page.selectOption(byTestId('result-order'), 'newest', { timeout: WAIT });
    await page.waitForFunction(() => new URL(location.href).searchParams.get('order') === 'newest', null, { timeout: WAIT });
    await waitTotal(5);
    // Two documents of 2016 come first, the undated after them.
    const firstIds = (await resultIds()).slice(0, 2).sort();
    assert(JSON.stringify(firstIds) === JSON.stringify(['asean-china-strategy-on-environmental-cooperation-2016-2020.pdf', 'us-china-sed-cooperation-2016.txt']),
      `newest first: ${JSON.stringify(await resultIds())}`);
    await shot('sorted-newest');
    await page.goto(`${opts.baseUrl}/?q=cooperation`, { timeout: WAIT });
    await waitTotal(5);
  });

  // corpus/ holds no near-duplicates (tests/searcher/near_duplicate_search_test.cc
  // has a corpus that does): no "similar documents" link, and the list of
  // a document's near-duplicates is the document alone, with a way back.
  await check('near-duplicates: no "similar" link without any, and ?similar=ID lists the document alone', async () => {
    await page.goto(`${opts.baseUrl}/?q=cooperation`, { timeout: WAIT });
    await waitTotal(5);
    assert(await page.locator(byTestId('similar-link')).count() === 0, 'no "similar documents" link in corpus/');
    assert(await page.locator(byTestId('result-groups')).count() === 0, 'no count without near-duplicates');
    const id = 'us-china-sed-cooperation-2016.txt';
    await page.goto(`${opts.baseUrl}/?q=cooperation&similar=${encodeURIComponent(id)}`, { timeout: WAIT });
    await waitTotal(1);
    await page.waitForSelector(byTestId('similar-note'), { timeout: WAIT });
    assert(JSON.stringify(await resultIds()) === JSON.stringify([id]), `the document alone: ${JSON.stringify(await resultIds())}`);
    await shot('similar-documents');
    await page.click(`${byTestId('similar-note')} a`, { timeout: WAIT });
    await waitTotal(5);
    assert(new URL(page.url()).searchParams.get('similar') === null, 'back to all results');
  });

  await check('"Any words" reads a pasted sentence as plain text: results, a stopword warning, mode=any kept in the URL', async () => {
    await page.goto(`${opts.baseUrl}/`, { timeout: WAIT });
    // In query syntax "water:" is a field without a value; ticking the box
    // runs the sentence as any of its words.
    await page.locator(byTestId('search-input')).fill('Cooperation on water: the rivers and biodiversity of the region', { timeout: WAIT });
    await page.click(byTestId('any-words'), { timeout: WAIT });
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="result-count"]');
      return el && Number(el.dataset.total) > 0 && document.querySelector('main').getAttribute('aria-busy') !== 'true';
    }, null, { timeout: WAIT });
    assert(new URL(page.url()).searchParams.get('mode') === 'any', `URL: ${page.url()}`);
    const codes = await page.$$eval(byTestId('warning'), (els) => els.map((e) => e.dataset.code));
    assert(codes.includes('stopwords_left_out'), `warnings: ${codes}`);
    await shot('any-words');
    await page.reload({ timeout: WAIT });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="result-count"]')?.dataset.total) > 0, null, { timeout: WAIT });
    assert(await page.isChecked(byTestId('any-words')), 'the box stays ticked after a reload');
    // A syntax example reads as syntax again.
    await page.click('[data-testid="syntax-help"] summary', { timeout: WAIT });
    await page.click('button.example >> text="air OR water"', { timeout: WAIT });
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'air OR water', null, { timeout: WAIT });
    assert(!(await page.isChecked(byTestId('any-words'))), 'an example unticks the box');
    assert(new URL(page.url()).searchParams.get('mode') === null, `URL: ${page.url()}`);
  });

  await check('no JavaScript errors, no failed requests (but the bad query), no request leaves the server', async () => {
    assert(pageErrors.length === 0, `page errors: ${pageErrors.slice(0, 3).join(' | ')}`);
    assert(serverErrors.length === 0, `server errors: ${serverErrors.slice(0, 3).join(' | ')}`);
    assert(foreignRequests.length === 0, `requests elsewhere: ${foreignRequests.slice(0, 3).join(' | ')}`);
  });
} catch (e) {
  failed++;
  console.log('not ok - the browser test ran to the end');
  console.log(`  # ${String(e && e.message ? e.message : e).split('\n')[0]}`);
} finally {
  clearTimeout(watchdog);
  if (browser) {
    try { await browser.close(); } catch { /* already gone */ }
  }
}

console.log(`screenshots in ${opts.screenshots}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
