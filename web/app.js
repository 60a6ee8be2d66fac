// policy-search web page. The URL holds the whole state (q, filters, page,
// size, view, doc, sort, order, hist); every change pushes a history entry and renders from
// that state, so links can be shared and Back works.

import {
  h, clear, add, highlighted, splitByByteRanges, byteToCharIndex, parseFilter, formatFilter,
  yearRange, downloadCsv, slug, plural,
} from './util.js';

const $ = (id) => document.getElementById(id);
const VIEWS = ['results', 'document', 'kwic'];
const SORTS = ['doc', 'left', 'right', 'year'];
const ORDERS = ['relevance', 'newest', 'oldest', 'title'];  // result orders (the API's sort)
const SIZES = [10, 20, 50, 100];
const FACET_SHOWN = 10;           // values shown per field before "show more"
const FACET_LIMIT = 100;          // values asked for per field (selected ones then have counts)
const FACET_LIMIT_EXPANDED = 1000; // asked for when an expanded field has more
const KWIC_WIDTH = 40;
const KWIC_LIMIT = 500;
const EXPORT_PAGE = 1000;         // the server's largest page
const KWIC_EXPORT_PAGE = 1000;    // the server's largest concordance page
const KWIC_EXPORT_MAX = 100000;   // lines an export fetches at most
const FIRST_FIELDS = ['organisation', 'publisher', 'mentions', 'year', 'area'];
const LABELS = {
  organisation: 'Organisation (any role)', publisher: 'Publisher', mentions: 'Mentions',
  year: 'Year', area: 'Priority area', document_type: 'Document type', years_mentioned: 'Years mentioned',
  language: 'Language',
};

// ---------------------------------------------------------------- state & URL

let state = readUrl();
const expanded = new Set();   // facet fields showing all values (not in the URL)
let indexInfo = null;         // /api/index
let lastSearch = null;        // the last /api/search answer rendered
let renderToken = 0;
let pendingFocus = null;     // id of the element to focus once the next render is done

function readUrl() {
  const p = new URLSearchParams(location.search);
  const int = (v, d) => (/^\d+$/.test(v || '') ? Number(v) : d);
  const filters = [];
  for (const f of p.getAll('filter')) if (f.trim() && !filters.includes(f.trim())) filters.push(f.trim());
  const size = int(p.get('size'), 10);
  const doc = p.get('doc') || '';
  const view = VIEWS.includes(p.get('view')) ? p.get('view') : 'results';
  return {
    q: p.get('q') || '',
    filters,
    page: Math.max(1, int(p.get('page'), 1)),
    size: SIZES.includes(size) ? size : 10,
    view: view === 'document' && !doc ? 'results' : view,
    doc,
    sort: SORTS.includes(p.get('sort')) ? p.get('sort') : 'doc',
    order: ORDERS.includes(p.get('order')) ? p.get('order') : 'relevance',
    // The year histograms show counts of matching documents, or shares: of
    // the documents in the index that year, how many match.
    hist: p.get('hist') === 'shares' ? 'shares' : 'counts',
    similar: p.get('similar') || '',  // a document id: only it and its near-duplicates
    // 'any': the box is plain text, any of its words (the API's mode=any);
    // '': query syntax.
    mode: p.get('mode') === 'any' ? 'any' : '',
  };
}

function urlOf(s) {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  for (const f of s.filters) p.append('filter', f);
  if (s.view !== 'results') p.set('view', s.view);
  if (s.view === 'document' && s.doc) p.set('doc', s.doc);
  if (s.page > 1) p.set('page', String(s.page));
  if (s.size !== 10) p.set('size', String(s.size));
  if (s.sort !== 'doc') p.set('sort', s.sort);
  if (s.order !== 'relevance') p.set('order', s.order);
  if (s.hist === 'shares') p.set('hist', 'shares');
  if (s.similar) p.set('similar', s.similar);
  if (s.mode) p.set('mode', s.mode);
  const qs = p.toString();
  return location.pathname + (qs ? `?${qs}` : '');
}

/** Moves to a new state: a new history entry (or a replaced one) and a render. */
function go(changes, { replace = false, focus = null } = {}) {
  pendingFocus = focus;
  // Remember where the page was scrolled, for Back.
  history.replaceState({ ...(history.state || {}), scroll: window.scrollY }, '');
  state = { ...state, ...changes };
  const url = urlOf(state);
  if (replace) history.replaceState({ scroll: 0 }, '', url);
  else if (url !== location.pathname + location.search) history.pushState({ scroll: 0 }, '', url);
  render({ scroll: 0 });
}

window.addEventListener('popstate', (e) => {
  state = readUrl();
  render({ scroll: e.state && typeof e.state.scroll === 'number' ? e.state.scroll : 0 });
});

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.kind = err.kind || (status === 404 ? 'not_found' : 'http');
    this.position = typeof err.position === 'number' ? err.position : null;
    this.hint = err.hint || '';
    this.query = typeof err.query === 'string' ? err.query : null;
  }
}

const cache = new Map();
async function api(path, params, { signal, useCache = true } = {}) {
  const qs = new URLSearchParams();
  for (const [k, v] of params || []) qs.append(k, v);
  const url = path + (qs.toString() ? `?${qs}` : '');
  if (useCache && cache.has(url)) return cache.get(url);
  let res;
  try {
    res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { error: { kind: 'network', message: 'The server cannot be reached. Is policy-search serve still running?' } });
  }
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (!res.ok) throw new ApiError(res.status, body);
  if (body === null) throw new ApiError(res.status, { error: { kind: 'http', message: 'The server sent an answer that is not JSON.' } });
  if (useCache) {
    cache.set(url, body);
    if (cache.size > 60) cache.delete(cache.keys().next().value);
  }
  return body;
}

// The query and how it is read, first of every request's parameters.
function queryParams(s) {
  return s.mode ? [['q', s.q], ['mode', s.mode]] : [['q', s.q]];
}

function searchParams(s, { offset, limit, facetLimit } = {}) {
  const p = queryParams(s);
  for (const f of s.filters) p.push(['filter', f]);
  p.push(['offset', String(offset ?? (s.page - 1) * s.size)]);
  p.push(['limit', String(limit ?? s.size)]);
  if (s.order !== 'relevance') p.push(['sort', s.order]);
  if (s.similar) p.push(['similar', s.similar]);
  if (facetLimit !== 0) {
    p.push(['facets', '1']);
    p.push(['facet_limit', String(facetLimit ?? (needsMoreFacets() ? FACET_LIMIT_EXPANDED : FACET_LIMIT))]);
  } else {
    p.push(['facets', '0']);
  }
  return p;
}

// Set when the user expands a field that has values beyond FACET_LIMIT; kept
// while any field is expanded.
let moreWanted = false;
function needsMoreFacets() {
  return moreWanted && expanded.size > 0;
}

function kwicParams(s, limit, offset = 0) {
  const p = queryParams(s);
  for (const f of s.filters) p.push(['filter', f]);
  p.push(['width', String(KWIC_WIDTH)], ['sort', s.sort], ['limit', String(limit)], ['offset', String(offset)]);
  return p;
}

async function loadIndexInfo() {
  if (indexInfo) return indexInfo;
  try {
    indexInfo = await api('/api/index');
  } catch {
    indexInfo = { fields: [] };
  }
  const help = $('field-help');
  const fields = (indexInfo.fields || []).filter((f) => f.kind !== 'text');
  if (fields.length) {
    add(clear(help), 'Fields: ', ...fields.flatMap((f, i) => [
      i ? ', ' : '', h('code', null, `${f.name}:`),
      f.aliases && f.aliases.length ? ` (${f.aliases.map((a) => `${a}:`).join(', ')})` : '',
    ]), '.');
  }
  return indexInfo;
}

// ---------------------------------------------------------------- fields

function fieldInfo(name) {
  const f = ((indexInfo && indexInfo.fields) || []).find((x) => x.name === name || (x.aliases || []).includes(name));
  return f || null;
}
function canonicalField(name) {
  const f = fieldInfo(name);
  return f ? f.name : name;
}
function isYearField(name, facet) {
  const f = fieldInfo(name);
  if (f) return f.kind === 'year';
  return !!(facet && facet.histogram) || name === 'year';
}
function label(name) {
  return LABELS[name] || name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}
/** Counted fields in display order: organisation, year, area, then as /api/index lists them. */
function fieldOrder(facets) {
  const names = Object.keys(facets || {});
  const listed = ((indexInfo && indexInfo.fields) || []).filter((f) => f.counted).map((f) => f.name);
  const order = [...FIRST_FIELDS, ...listed, ...names.sort()];
  return [...new Set(order)].filter((n) => names.includes(n));
}

/** The URL's filters of a field, parsed. */
function filtersOf(field) {
  return state.filters
    .map((raw) => ({ raw, f: parseFilter(raw) }))
    .filter((x) => x.f && canonicalField(x.f.field) === field);
}
function hasFilter(field, key) {
  return filtersOf(field).some((x) => x.f.value.toLowerCase() === String(key).toLowerCase());
}
function toggleFilter(field, key, on, isYear) {
  let filters = state.filters.filter((raw) => {
    const f = parseFilter(raw);
    return !(f && canonicalField(f.field) === field && f.value.toLowerCase() === String(key).toLowerCase());
  });
  if (on) filters = [...filters, formatFilter(field, key, isYear)];
  go({ filters, page: 1, view: state.view === 'document' ? 'results' : state.view });
}
function setFieldFilters(field, values, isYear) {
  const filters = state.filters.filter((raw) => {
    const f = parseFilter(raw);
    return !(f && canonicalField(f.field) === field);
  });
  go({ filters: [...filters, ...values.map((v) => formatFilter(field, v, isYear))], page: 1 });
}

// ---------------------------------------------------------------- rendering

function show(id, visible) {
  $(id).hidden = !visible;
}

function setBusy(busy) {
  $('progress').hidden = !busy;
  $('main').setAttribute('aria-busy', busy ? 'true' : 'false');
}

async function render({ scroll = 0 } = {}) {
  const token = ++renderToken;
  const input = $('q');
  if (input.value !== state.q) input.value = state.q;
  $('any-words').checked = state.mode === 'any';
  $('page-size').value = String(state.size);
  $('result-order').value = state.order;
  $('kwic-sort').value = state.sort;
  hideError();
  renderWarnings([]);
  renderDidYouMean(null);
  updateTitle();

  const isDoc = state.view === 'document' && !!state.doc;
  const empty = !isDoc && !state.q.trim() && state.filters.length === 0 && !state.similar;
  show('welcome-view', empty);
  show('view-tabs', !empty && !isDoc);
  show('results-view', !empty && state.view === 'results');
  show('kwic-view', !empty && state.view === 'kwic');
  show('document-view', isDoc);
  show('sidebar', !empty && !isDoc);
  if (empty || isDoc) show('active-filters', false);
  document.body.dataset.view = empty ? 'welcome' : state.view;
  updateTabs();

  setBusy(true);
  try {
    await loadIndexInfo();
    if (token !== renderToken) return;
    if (isDoc) {
      await renderDocument(token);
    } else if (empty) {
      renderWelcome();
    } else {
      const search = await api('/api/search', searchParams(state));
      if (token !== renderToken) return;
      lastSearch = search;
      learnValues(search.facets);
      renderFacets(search);
      renderActiveFilters(search);
      renderWarnings(search.warnings || []);
      renderDidYouMean(state.view === 'kwic' || search.total > 0 ? search.did_you_mean : null);
      updateTabs(search);
      if (state.view === 'kwic') await renderKwic(token);
      else renderResults(search);
    }
    if (token !== renderToken) return;
    if (scroll || state.view !== 'document') window.scrollTo(0, scroll);
    if (pendingFocus && $(pendingFocus) && !$(pendingFocus).closest('[hidden]')) $(pendingFocus).focus({ preventScroll: true });
    pendingFocus = null;
  } catch (e) {
    if (e.name === 'AbortError' || token !== renderToken) return;
    renderFailure(e);
  } finally {
    if (token === renderToken) setBusy(false);
  }
}

function updateTitle() {
  const parts = [];
  if (state.q) parts.push(`“${state.q}”`);
  if (state.filters.length) parts.push(state.filters.join(' '));
  const view = state.view === 'kwic' ? 'Concordance' : state.view === 'document' ? 'Document' : '';
  document.title = [parts.join(' '), view, 'policy-search'].filter(Boolean).join(' – ');
}

function updateTabs(search) {
  const results = $('tab-results');
  const kwic = $('tab-kwic');
  results.href = urlOf({ ...state, view: 'results' });
  kwic.href = urlOf({ ...state, view: 'kwic', page: 1 });
  results.toggleAttribute('aria-current', state.view === 'results');
  if (state.view === 'results') results.setAttribute('aria-current', 'page');
  kwic.toggleAttribute('aria-current', state.view === 'kwic');
  if (state.view === 'kwic') kwic.setAttribute('aria-current', 'page');
  if (search) {
    results.textContent = `Results (${search.total.toLocaleString('en')})`;
  }
  kwic.hidden = !state.q.trim();
}

function renderWelcome() {
  const info = $('index-info');
  if (indexInfo && typeof indexInfo.documents === 'number') {
    info.textContent = `The index holds ${plural(indexInfo.documents, 'document')}`
      + (indexInfo.build_id ? ` (build ${indexInfo.build_id}, ${indexInfo.analyzer || ''}).` : '.');
  } else {
    info.textContent = '';
  }
  const examples = (indexInfo && indexInfo.examples) || [];
  const list = clear($('try-list'));
  for (const e of examples) {
    add(list, h('li', null,
      h('button', { type: 'button', class: 'example', title: e.why, onclick: () => runExample(e.query) }, e.query),
      ' ', h('span', { class: 'muted' }, e.why)));
  }
  $('try-title').hidden = examples.length === 0;
}

// ---- errors

function hideError() {
  const box = $('error-box');
  box.hidden = true;
  clear(box);
  $('q').removeAttribute('aria-invalid');
}

function showError(e) {
  const outer = $('error-box');
  clear(outer);
  const box = h('div', { class: 'error-inner' });
  outer.append(box);
  const isQuery = e.kind === 'query' || (e.status === 400 && e.position !== null);
  outer.dataset.kind = e.kind || '';
  if (isQuery) {
    const q = e.query !== null ? e.query : state.q;
    const inQuery = q === state.q;
    const pos = e.position === null ? null : byteToCharIndex(q, e.position);
    box.append(h('p', { class: 'error-title' },
      h('strong', null, inQuery ? 'Query error: ' : 'Filter error: '),
      h('span', { 'data-testid': 'error-message' }, e.message)));
    if (pos !== null) {
      const before = q.slice(0, pos);
      const at = q.slice(pos, pos + 1) || ' ';
      const after = q.slice(pos + 1);
      box.append(h('pre', { class: 'error-query', 'data-testid': 'error-query', 'aria-label': `${q}, error at character ${pos + 1}` },
        before, h('span', { class: 'error-at' }, at), after, '\n',
        h('span', { class: 'caret', 'data-testid': 'error-caret' }, `${' '.repeat([...before].length)}^`)));
    }
    if (e.hint) box.append(h('p', { class: 'error-hint', 'data-testid': 'error-hint' }, h('strong', null, 'Hint: '), e.hint));
    const input = $('q');
    if (inQuery) {
      input.setAttribute('aria-invalid', 'true');
      if (document.activeElement === input && pos !== null) input.setSelectionRange(pos, pos);
    }
  } else {
    const title = e.status === 404 ? 'Not found' : e.status === 413 ? 'Too large' : e.kind === 'network' ? 'Connection problem' : 'Something went wrong';
    box.append(h('p', { class: 'error-title' }, h('strong', null, `${title}: `),
      h('span', { 'data-testid': 'error-message' }, e.message)));
    if (e.hint) box.append(h('p', { class: 'error-hint', 'data-testid': 'error-hint' }, h('strong', null, 'Hint: '), e.hint));
  }
  outer.hidden = false;
}

function renderFailure(e) {
  showError(e);
  if (state.view === 'document') {
    clear($('doc-text'));
    $('doc-title').textContent = e.status === 404 ? 'Document not found' : 'The document could not be loaded';
    $('doc-side-title').textContent = '';
    clear($('match-map'));
    $('doc-sub').textContent = state.doc;
    clear($('doc-fields'));
    clear($('doc-metadata'));
    updateMatchNav();
    return;
  }
  // Keep the last results' layout but say nothing matches this state.
  $('result-count').textContent = e.kind === 'query' ? 'Fix the query to see results.' : 'No results.';
  delete $('result-count').dataset.total;
  $('tab-results').textContent = 'Results';
  $('export-results').disabled = true;
  $('export-kwic').disabled = true;
  clear($('results'));
  clear($('pagination'));
  clear($('kwic-body'));
  $('kwic-summary').textContent = '';
  add(clear($('facets')), h('p', { class: 'muted small' }, 'Filters appear with the results.'));
  $('clear-filters').hidden = state.filters.length === 0;
  renderActiveFilters(null);
}

// ---- warnings

// What did not stop the search but may make it mislead, such as a filter
// value that names nothing in the index (the API's "warnings").
function renderWarnings(warnings) {
  const box = clear($('warning-box'));
  for (const w of warnings) {
    box.append(h('p', { class: 'warning', 'data-testid': 'warning', 'data-code': w.code, 'data-field': w.field || '' },
      h('strong', null, 'Warning: '), w.message));
  }
  box.hidden = warnings.length === 0;
}

// ---- did you mean

// A link that runs the query with its misspelled words corrected (the API's
// "did_you_mean"), or nothing; the corrected words are in bold.
function didYouMeanLine(suggestion) {
  const q = suggestion.query;
  return ['Did you mean ', h('a', { href: urlOf({ ...state, q, page: 1 }), onclick: linkNav({ q, page: 1 }, 'q'), 'data-testid': 'did-you-mean-link' }, q), '?'];
}

// Above the results when some were found; with none, the no-results line
// shows it instead (renderResults).
function renderDidYouMean(suggestion) {
  const line = clear($('did-you-mean'));
  if (suggestion) add(line, ...didYouMeanLine(suggestion));
  line.hidden = !suggestion;
}

// ---- facets

function renderFacets(search) {
  const sidebar = $('sidebar');
  const keepScroll = sidebar.scrollTop;
  // Keyboard users keep their place: the control that had focus gets it back.
  const focused = sidebar.contains(document.activeElement) ? document.activeElement.dataset.testid : null;
  const root = clear($('facets'));
  const facets = search.facets || {};
  const active = search.filters || {};
  for (const field of fieldOrder(facets)) {
    const facet = facets[field];
    const isYear = isYearField(field, facet);
    const selected = filtersOf(field);
    const headingId = `facet-h-${field}`;
    const section = h('section', { class: 'facet', 'data-field': field, 'data-testid': `facet-${field}`, 'aria-labelledby': headingId });
    const head = h('div', { class: 'facet-head' },
      h('h3', {
        id: headingId,
        title: facet.filtered ? 'Values of one field combine with OR: the counts ignore this field’s own filter' : null,
      }, label(field), facet.exact === false ? h('span', { class: 'estimate', title: 'The server stopped counting early: counts are lower bounds' }, ' (estimated)') : null),
      selected.length ? h('button', {
        type: 'button', class: 'link-button', 'data-testid': `facet-clear-${field}`,
        'aria-label': `Clear ${label(field)} filters`, onclick: () => setFieldFilters(field, [], isYear),
      }, 'Clear') : null);
    section.append(head);

    if (isYear && ((facet.histogram && facet.histogram.length) || (facet.decades && facet.decades.length))) {
      section.append(histogram(field, facet));
    }

    // Values: the top ones (years newest first), plus selected ones the limit left out.
    const values = [...(facet.values || [])];
    if (isYear) values.sort((a, b) => Number(b.key) - Number(a.key) || b.count - a.count);
    for (const s of selected) {
      if (isYear && yearRange(s.f.value) && s.f.value.includes('..')) continue; // ranges live in the histogram
      if (!values.some((v) => v.key.toLowerCase() === s.f.value.toLowerCase())) {
        values.unshift({ value: displayValue(field, s.f.value), key: s.f.value, count: null });
      }
    }
    const queryValues = (active[field] || []).filter((v) => !hasFilter(field, v));
    const showAll = expanded.has(field);
    // The top values, and every ticked one wherever the counts put it.
    const shown = showAll ? values : values.filter((v, i) => i < FACET_SHOWN || hasFilter(field, v.key)
      || queryValues.some((q) => q.toLowerCase() === v.key.toLowerCase()));
    const list = h('ul', { class: 'facet-values', 'aria-labelledby': headingId });
    for (const v of shown) {
      const checked = hasFilter(field, v.key);
      const fromQuery = !checked && queryValues.some((q) => q.toLowerCase() === v.key.toLowerCase());
      const id = `f-${field}-${v.key}`.replace(/[^\w-]/g, '_') + `-${list.childElementCount}`;
      const box = h('input', {
        type: 'checkbox', id, 'data-testid': `facet-${field}-${v.key}`, 'data-key': v.key,
        checked: checked || fromQuery, disabled: fromQuery,
        title: fromQuery ? 'Set in the query text: edit the query to remove it' : null,
      });
      box.addEventListener('change', () => toggleFilter(field, v.key, box.checked, isYear));
      list.append(h('li', { class: checked ? 'is-checked' : null },
        h('label', { for: id, class: 'facet-value' },
          box,
          h('span', { class: 'facet-name', title: v.value }, v.value),
          h('span', { class: 'facet-count', 'data-testid': `facet-count-${field}-${v.key}` },
            v.count === null ? '–' : v.count.toLocaleString('en')),
        )));
    }
    if (!shown.length) list.append(h('li', { class: 'muted small' }, 'No values'));
    section.append(list);

    const hidden = values.length - shown.length + (facet.more || 0);
    if (hidden > 0 || showAll) {
      section.append(h('button', {
        type: 'button', class: 'link-button more-button', 'aria-expanded': showAll ? 'true' : 'false',
        'data-testid': `facet-more-${field}`,
        onclick: () => {
          if (showAll) expanded.delete(field); else expanded.add(field);
          if (!showAll && facet.more > 0) moreWanted = true;
          if (!expanded.size) moreWanted = false;
          render({ scroll: window.scrollY });
        },
      }, showAll ? 'Show fewer' : `Show ${hidden.toLocaleString('en')} more`));
      if (showAll && facet.more) section.append(h('p', { class: 'muted small' }, `${facet.more} more values not listed.`));
    }
    root.append(section);
  }
  $('clear-filters').hidden = state.filters.length === 0;
  sidebar.scrollTop = keepScroll;
  if (focused) {
    const el = root.querySelector(`[data-testid="${CSS.escape(focused)}"]`);
    if (el) {
      if (el.classList.contains('bar')) {
        el.parentElement.querySelectorAll('.bar').forEach((b) => b.setAttribute('tabindex', b === el ? '0' : '-1'));
      }
      el.focus({ preventScroll: true });
    } else if (!$('clear-filters').hidden) {
      $('clear-filters').focus({ preventScroll: true });
    } else {
      $('sidebar-title').setAttribute('tabindex', '-1');
      $('sidebar-title').focus({ preventScroll: true });
    }
  }
}

/** Bars for a year field; click selects a year, dragging across bars selects a range. */
function histogram(field, facet) {
  const hist = facet.histogram || [];
  let bars;
  const years = hist.map((v) => Number(v.key)).filter(Number.isFinite);
  const lo = Math.min(...years);
  const hi = Math.max(...years);
  // total: documents of the index with the year (index_documents), the
  // denominator of a share; a year without a match has a share of 0.
  if (years.length && hi - lo <= 80) {
    const byYear = new Map(hist.map((v) => [Number(v.key), v]));
    bars = [];
    for (let y = lo; y <= hi; y++) {
      const v = byYear.get(y);
      bars.push({ from: y, to: y, label: String(y), count: v ? v.count : 0, total: v ? v.index_documents || 0 : 0 });
    }
  } else if (facet.decades && facet.decades.length) {
    bars = facet.decades.map((d) => {
      const r = yearRange(d.key) || [0, 0];
      return { from: r[0], to: r[1], label: d.value, count: d.count, total: d.index_documents || 0 };
    });
  } else {
    bars = hist.map((v) => ({ from: Number(v.key), to: Number(v.key), label: v.value, count: v.count, total: v.index_documents || 0 }));
  }
  const shares = state.hist === 'shares';
  const shareOf = (count, total) => (total ? count / total : 0);
  const percent = (x) => `${(100 * x).toFixed(x > 0 && x < 0.1 ? 1 : 0)}%`;
  const describe = (label, count, total) => (shares
    ? `${label}: ${percent(shareOf(count, total))} of ${plural(total, 'document')} match (${count})`
    : `${label}: ${plural(count, 'document')}`);
  for (const b of bars) b.value = shares ? shareOf(b.count, b.total) : b.count;
  const selected = filtersOf(field).map((x) => yearRange(x.f.value)).filter(Boolean);
  const isSelected = (b) => selected.some(([a, z]) => b.to >= a && b.from <= z);
  const max = shares ? Math.max(1e-9, ...bars.map((b) => b.value)) : Math.max(1, ...bars.map((b) => b.count));
  // Shares are drawn against the largest, which the readout names.
  const idleText = shares ? `Share of the year's documents that match; tallest bar ${percent(max)}. Click a bar for a year; drag for a range.`
    : 'Click a bar for a year; drag for a range.';
  const readout = h('p', { class: 'hist-readout', 'aria-live': 'polite' },
    selected.length ? `Selected: ${filtersOf(field).map((x) => x.f.value).join(', ')}` : idleText);
  const wrap = h('div', {
    class: 'bars', role: 'group', 'data-testid': `histogram-${field}`,
    'aria-label': `${label(field)} histogram. Enter selects a year, Shift+Enter a range from the last selected year, arrow keys move.`,
  });
  let focusIndex = Math.max(0, bars.findIndex(isSelected));
  if (!bars[focusIndex] || (!isSelected(bars[focusIndex]) && bars[focusIndex].count === 0)) {
    focusIndex = Math.max(0, bars.findIndex((b) => b.count > 0));
  }
  bars.forEach((b, i) => {
    const pct = b.value ? Math.max(4, Math.round((100 * b.value) / max)) : 0;
    const sel = isSelected(b);
    const el = h('button', {
      type: 'button', class: `bar${sel ? ' selected' : ''}${b.count ? '' : ' zero'}`,
      'data-testid': `histogram-${field}-${b.label}`, 'data-index': i,
      'data-count': String(b.count), 'data-total': String(b.total), 'data-value': String(b.value),
      'aria-pressed': sel ? 'true' : 'false', tabindex: i === focusIndex ? '0' : '-1',
      'aria-label': describe(b.label, b.count, b.total), title: describe(b.label, b.count, b.total),
    }, h('span', { class: 'fill', style: { height: `${pct}%` } }));
    wrap.append(el);
  });

  const rangeOf = (a, z) => {
    const [i, j] = a <= z ? [a, z] : [z, a];
    return { from: bars[i].from, to: bars[j].to, i, j };
  };
  const apply = (a, z) => {
    const r = rangeOf(a, z);
    if (r.from === r.to) {
      const only = selected.length === 1 && selected[0][0] === r.from && selected[0][1] === r.to;
      setFieldFilters(field, only ? [] : [String(r.from)], true);
    } else {
      setFieldFilters(field, [`${r.from}..${r.to}`], true);
    }
  };
  const preview = (a, z) => {
    const r = rangeOf(a, z);
    wrap.querySelectorAll('.bar').forEach((el, k) => el.classList.toggle('preview', k >= r.i && k <= r.j));
    const n = bars.slice(r.i, r.j + 1).reduce((s, b) => s + b.count, 0);
    const total = bars.slice(r.i, r.j + 1).reduce((s, b) => s + b.total, 0);
    readout.textContent = r.from === r.to ? describe(bars[r.i].label, n, total)
      : `${describe(`${r.from}–${r.to}`, n, total)} (per-year counts summed)`;
  };
  const indexAt = (x) => {
    const els = wrap.querySelectorAll('.bar');
    for (let k = 0; k < els.length; k++) {
      const rect = els[k].getBoundingClientRect();
      if (x < rect.right) return k;
    }
    return els.length - 1;
  };

  let drag = null;
  wrap.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    const bar = e.target.closest('.bar');
    if (!bar) return;
    e.preventDefault();
    drag = { start: Number(bar.dataset.index), end: Number(bar.dataset.index), id: e.pointerId };
    try { wrap.setPointerCapture(e.pointerId); } catch { /* synthetic pointers */ }
    wrap.classList.add('dragging');
    preview(drag.start, drag.end);
  });
  wrap.addEventListener('pointermove', (e) => {
    if (drag) {
      const k = indexAt(e.clientX);
      if (k !== drag.end) { drag.end = k; preview(drag.start, drag.end); }
    } else {
      const bar = e.target.closest('.bar');
      if (bar) preview(Number(bar.dataset.index), Number(bar.dataset.index));
    }
  });
  const finish = (e, commit) => {
    if (!drag) return;
    const d = drag;
    drag = null;
    wrap.classList.remove('dragging');
    try { wrap.releasePointerCapture(e.pointerId); } catch { /* already released */ }
    if (commit) apply(d.start, d.end);
  };
  wrap.addEventListener('pointerup', (e) => finish(e, true));
  wrap.addEventListener('pointercancel', (e) => finish(e, false));
  wrap.addEventListener('pointerleave', () => {
    if (drag) return;
    wrap.querySelectorAll('.bar.preview').forEach((el) => el.classList.remove('preview'));
    readout.textContent = selected.length ? `Selected: ${filtersOf(field).map((x) => x.f.value).join(', ')}` : idleText;
  });
  // Keyboard: a click with detail 0 comes from Enter or Space.
  let anchor = selected.length === 1 ? bars.findIndex((b) => b.from === selected[0][0]) : -1;
  wrap.addEventListener('click', (e) => {
    const bar = e.target.closest('.bar');
    if (!bar || e.detail !== 0) return;
    const k = Number(bar.dataset.index);
    if (e.shiftKey && anchor >= 0) apply(anchor, k); else { anchor = k; apply(k, k); }
  });
  wrap.addEventListener('keydown', (e) => {
    const bar = e.target.closest('.bar');
    if (!bar) return;
    const els = [...wrap.querySelectorAll('.bar')];
    let k = Number(bar.dataset.index);
    if (e.key === 'ArrowRight') k = Math.min(els.length - 1, k + 1);
    else if (e.key === 'ArrowLeft') k = Math.max(0, k - 1);
    else if (e.key === 'Home') k = 0;
    else if (e.key === 'End') k = els.length - 1;
    else if (e.key === 'Enter' && e.shiftKey) {
      e.preventDefault();
      if (anchor >= 0) apply(anchor, k); else apply(k, k);
      return;
    } else return;
    e.preventDefault();
    els.forEach((el, i) => el.setAttribute('tabindex', i === k ? '0' : '-1'));
    els[k].focus();
    preview(k, k);
  });

  const axis = h('div', { class: 'hist-axis', 'aria-hidden': 'true' },
    h('span', null, bars.length ? bars[0].label : ''), h('span', null, bars.length > 1 ? bars[bars.length - 1].label : ''));

  const modeButton = (mode, text) => h('button', {
    type: 'button', class: 'chip-button', id: `hist-mode-${field}-${mode}`, 'data-testid': `hist-mode-${field}-${mode}`,
    'aria-pressed': state.hist === mode ? 'true' : 'false',
    onclick: () => { if (state.hist !== mode) go({ hist: mode }, { focus: `hist-mode-${field}-${mode}` }); },
  }, text);
  const modes = h('div', { class: 'hist-mode', role: 'group', 'aria-label': `${label(field)} histogram shows` },
    modeButton('counts', 'Counts'), modeButton('shares', 'Share of the year'));
  const box = h('div', { class: 'histogram' }, modes, readout, wrap, axis);
  if (facet.decades && facet.decades.length && bars.length && bars[0].from === bars[0].to) {
    box.append(h('div', { class: 'decades', role: 'group', 'aria-label': `${label(field)} by decade` },
      ...facet.decades.map((d) => h('button', {
        type: 'button', class: 'chip-button', 'data-testid': `decade-${field}-${d.key}`,
        onclick: () => setFieldFilters(field, [d.key], true),
      }, `${d.value} `, h('span', { class: 'muted' }, `(${d.count})`)))));
  }
  return box;
}

const knownValues = new Map(); // "field\u001fkey" -> display value, from every facet seen
function learnValues(facets) {
  for (const [field, facet] of Object.entries(facets || {})) {
    for (const v of [...(facet.values || []), ...(facet.histogram || []), ...(facet.decades || [])]) {
      knownValues.set(`${field}\u001f${String(v.key).toLowerCase()}`, v.value);
    }
  }
}
function displayValue(field, key) {
  return knownValues.get(`${field}\u001f${String(key).toLowerCase()}`) || key;
}

function renderActiveFilters(search) {
  const box = clear($('active-filters'));
  const chips = [];
  for (const raw of state.filters) {
    const f = parseFilter(raw);
    const field = f ? canonicalField(f.field) : '';
    const text = f ? `${label(field)}: ${displayValue(field, f.value)}` : raw;
    chips.push(h('li', { class: 'chip', 'data-testid': 'active-filter' },
      h('span', null, text),
      h('button', {
        type: 'button', class: 'chip-remove', 'aria-label': `Remove filter ${text}`, title: raw,
        onclick: () => go({ filters: state.filters.filter((x) => x !== raw), page: 1 }, { focus: 'results-title' }),
      }, '×')));
  }
  for (const [field, values] of Object.entries((search && search.filters) || {})) {
    for (const v of values) {
      if (hasFilter(field, v)) continue;
      if (filtersOf(field).some((x) => x.f.value === v)) continue;
      chips.push(h('li', { class: 'chip chip-query', title: 'Part of the query text' },
        h('span', null, `${label(field)}: ${displayValue(field, v)}`), h('span', { class: 'muted small' }, ' (in query)')));
    }
  }
  box.hidden = chips.length === 0 || state.view === 'document';
  if (!chips.length) return;
  box.append(h('span', { class: 'muted small' }, 'Filters:'), h('ul', { class: 'chips', 'aria-label': 'Active filters' }, chips));
  if (state.filters.length) {
    box.append(h('button', { type: 'button', class: 'link-button', 'data-testid': 'clear-filters-inline', onclick: clearFilters }, 'Clear all'));
  }
}

function clearFilters() {
  go({ filters: [], page: 1 });
}

// ---- results

function docHref(id) {
  return urlOf({ ...state, view: 'document', doc: id });
}

function valuesList(values, max, cls) {
  if (!values || !values.length) return null;
  const span = h('span', { class: cls });
  const first = values.slice(0, max);
  span.append(first.join('; '));
  if (values.length > max) {
    const rest = values.slice(max);
    const btn = h('button', {
      type: 'button', class: 'link-button more-inline', 'aria-label': `Show ${rest.length} more: ${cls}`,
      onclick: () => { btn.replaceWith(`; ${rest.join('; ')}`); },
    }, `+${rest.length} more`);
    span.append(' ', btn);
  }
  return span;
}

function renderResults(search) {
  const total = search.total;
  const from = total ? search.offset + 1 : 0;
  const to = search.offset + search.results.length;
  const count = clear($('result-count'));
  count.dataset.total = String(total);
  // Near-duplicates (a web page and its PDF, a draft and its final text)
  // show as one result; the count says how many results that makes.
  const groups = typeof search.groups === 'number' && search.collapsed && search.groups !== total ? search.groups : null;
  if (state.similar) {
    add(count, h('span', { class: 'similar-note', 'data-testid': 'similar-note' },
      'Near-duplicates of ', h('span', { class: 'mono' }, state.similar), ' · ',
      h('a', { href: urlOf({ ...state, similar: '', page: 1 }), onclick: linkNav({ similar: '', page: 1 }) }, 'all results')));
  }
  add(count,
    h('strong', { 'data-testid': 'result-total' }, total.toLocaleString('en')),
    ` ${total === 1 ? 'document' : 'documents'}${search.total_exact ? '' : ' (estimate)'}`,
    `${total === 1 ? ' matches' : ' match'}${state.q ? ' ' : state.filters.length ? ' the filters' : ''}`,
    state.q ? h('code', { class: 'query-echo' }, state.q) : null,
    groups !== null ? h('span', { class: 'muted', 'data-testid': 'result-groups' }, ` · ${groups.toLocaleString('en')} without near-duplicates`) : null,
    search.results.length ? h('span', { class: 'muted' }, from === to ? ` · showing ${from}` : ` · showing ${from}–${to}`) : null,
    typeof search.elapsed_ms === 'number' ? h('span', { class: 'muted' }, ` · ${search.elapsed_ms.toFixed(1)} ms`) : null,
  );
  $('export-results').disabled = total === 0;

  const list = clear($('results'));
  list.start = from || 1;
  for (const r of search.results) list.append(resultItem(r));
  if (!search.results.length) {
    list.append(h('li', { class: 'no-results', 'data-testid': 'no-results' },
      total && search.offset >= total
        ? ['This page is past the last result. ', h('a', { href: urlOf({ ...state, page: 1 }), onclick: linkNav({ page: 1 }) }, 'First page')]
        : search.did_you_mean
          ? ['No document matches. ', ...didYouMeanLine(search.did_you_mean)]
          : ['No document matches. ', state.filters.length ? h('button', { type: 'button', class: 'link-button', onclick: clearFilters }, 'Clear the filters') : 'Try fewer words, OR, or a wildcard (envir*).']));
  }
  renderPagination(total);
}

function resultItem(r) {
  const f = r.fields || {};
  const year = (f.year && f.year[0]) || (r.metadata && r.metadata.year) || '';
  const url = r.metadata && typeof r.metadata.url === 'string' && /^https?:\/\//.test(r.metadata.url) ? r.metadata.url : null;
  const meta = h('div', { class: 'result-meta' },
    year ? h('span', { class: 'pill pill-year', 'data-testid': 'result-year' }, String(year)) : null,
    f.document_type && f.document_type.length ? h('span', { class: 'pill' }, f.document_type.join(', ')) : null,
    f.organisation && f.organisation.length
      ? h('span', { class: 'meta-item' }, h('span', { class: 'meta-label' }, 'Organisations '), valuesList(f.organisation, 3, 'orgs'))
      : null,
  );
  const areas = f.area && f.area.length
    ? h('div', { class: 'result-meta' }, h('span', { class: 'meta-item' }, h('span', { class: 'meta-label' }, 'Areas '), valuesList(f.area, 4, 'areas')))
    : null;
  const snippets = (r.snippets || []).map((s) => h('p', { class: 'snippet', 'data-testid': 'snippet' },
    s.page ? h('span', { class: 'snippet-page', 'data-testid': 'snippet-page' }, `p. ${s.page}`) : null,
    highlighted(s.text, s.highlights, { 'data-testid': 'snippet-mark' })));
  return h('li', { class: 'result', 'data-testid': 'result-item', 'data-id': r.id },
    h('h3', { class: 'result-title' },
      h('a', { href: docHref(r.id), 'data-testid': 'result-link', onclick: linkNav({ view: 'document', doc: r.id }) }, r.title || r.id)),
    meta, areas, snippets,
    similarLink(r),
    h('div', { class: 'result-foot muted small' },
      h('span', { class: 'mono' }, r.id),
      url ? [' · ', h('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, 'original ↗')] : null,
      ` · score ${Number(r.score).toFixed(3)}`));
}

/** "N similar documents": the near-duplicates of a result, listed by a search for them. */
function similarLink(r) {
  const d = r.duplicates;
  if (!d || d.size < 2 || state.similar) return null;
  const n = d.size - 1;
  return h('div', { class: 'result-similar small' },
    h('a', { href: urlOf({ ...state, similar: r.id, page: 1 }), 'data-testid': 'similar-link', onclick: linkNav({ similar: r.id, page: 1 }) },
      `${n} similar document${n === 1 ? '' : 's'}`),
    d.collapsed ? h('span', { class: 'muted' }, ` (${d.collapsed} matching, not shown)`) : null);
}

/** A click handler for in-page links: plain clicks navigate in place, modified clicks open new tabs. */
function linkNav(changes, focus = null) {
  return (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    go(changes, { focus });
  };
}

function renderPagination(total) {
  const nav = clear($('pagination'));
  const pages = Math.max(1, Math.ceil(total / state.size));
  if (pages <= 1) return;
  const cur = Math.min(state.page, pages);
  const link = (p, text, attrs = {}) => h('a', {
    href: urlOf({ ...state, page: p }), onclick: linkNav({ page: p }, 'results-title'), ...attrs,
  }, text);
  const items = [];
  items.push(cur > 1
    ? link(cur - 1, '‹ Previous', { rel: 'prev', 'data-testid': 'page-prev' })
    : h('span', { class: 'disabled', 'aria-disabled': 'true' }, '‹ Previous'));
  const nums = new Set([1, pages, cur - 2, cur - 1, cur, cur + 1, cur + 2].filter((p) => p >= 1 && p <= pages));
  let prev = 0;
  for (const p of [...nums].sort((a, b) => a - b)) {
    if (p - prev > 1) items.push(h('span', { class: 'gap', 'aria-hidden': 'true' }, '…'));
    items.push(p === cur
      ? h('span', { class: 'current', 'aria-current': 'page', 'data-testid': `page-${p}` }, String(p))
      : link(p, String(p), { 'data-testid': `page-${p}`, 'aria-label': `Page ${p}` }));
    prev = p;
  }
  items.push(cur < pages
    ? link(cur + 1, 'Next ›', { rel: 'next', 'data-testid': 'page-next' })
    : h('span', { class: 'disabled', 'aria-disabled': 'true' }, 'Next ›'));
  nav.append(h('ul', null, items.map((i) => h('li', null, i))));
}

// ---- export

async function exportResults() {
  const btn = $('export-results');
  const status = $('export-status');
  const snapshot = { ...state };
  btn.disabled = true;
  try {
    const rows = [];
    const fieldNames = ((indexInfo && indexInfo.fields) || []).filter((f) => f.kind !== 'text').map((f) => f.name);
    const extraFields = fieldNames.filter((n) => !['organisation', 'year', 'area'].includes(n));
    rows.push(['rank', 'id', 'title', 'year', 'organisations', 'areas', ...extraFields, 'score', 'source', 'url', 'snippets']);
    let offset = 0;
    let total = Infinity;
    while (offset < total) {
      status.textContent = `Exporting… ${offset.toLocaleString('en')}${Number.isFinite(total) ? ` of ${total.toLocaleString('en')}` : ''}`;
      const page = await api('/api/search', searchParams(snapshot, { offset, limit: EXPORT_PAGE, facetLimit: 0 }), { useCache: false });
      total = page.total;
      if (!page.results.length) break;
      for (const r of page.results) {
        const f = r.fields || {};
        rows.push([
          r.rank, r.id, r.title, (f.year || [])[0] || (r.metadata && r.metadata.year) || '',
          (f.organisation || []).join('; '), (f.area || []).join('; '),
          ...extraFields.map((n) => (f[n] || []).join('; ')),
          r.score, r.source, (r.metadata && r.metadata.url) || '',
          (r.snippets || []).map((s) => s.text).join(' … '),
        ]);
      }
      offset += page.results.length;
    }
    const name = `policy-search-${slug(snapshot.q || snapshot.filters.join(' '))}-results.csv`;
    downloadCsv(name, rows);
    status.textContent = `Exported ${plural(rows.length - 1, 'result')} to ${name}.`;
  } catch (e) {
    status.textContent = `Export failed: ${e.message}`;
  } finally {
    btn.disabled = false;
  }
}

async function exportKwic() {
  const btn = $('export-kwic');
  const status = $('kwic-status');
  const snapshot = { ...state };
  btn.disabled = true;
  status.textContent = 'Exporting…';
  try {
    // Page through every line with offset, up to KWIC_EXPORT_MAX.
    const rows = [['doc_id', 'title', 'year', 'organisations', 'left', 'match', 'right']];
    let more = 0;
    for (let offset = 0; offset < KWIC_EXPORT_MAX; offset += KWIC_EXPORT_PAGE) {
      const data = await api('/api/kwic', kwicParams(snapshot, KWIC_EXPORT_PAGE, offset), { useCache: false });
      for (const l of data.lines) {
        rows.push([l.doc_id, l.title, l.year ?? '', (l.organisations || []).join('; '), l.left, l.match, l.right]);
      }
      more = data.more;
      if (!data.more) break;
    }
    const lines = rows.length - 1;
    const name = `policy-search-${slug(snapshot.q)}-concordance.csv`;
    downloadCsv(name, rows);
    status.textContent = `Exported ${plural(lines, 'line')} to ${name}.`
      + (more ? ` ${plural(more, 'more line')} were left out (export limit ${KWIC_EXPORT_MAX}).` : '');
  } catch (e) {
    status.textContent = `Export failed: ${e.message}`;
  } finally {
    btn.disabled = false;
  }
}

// ---- concordance

async function renderKwic(token) {
  const body = clear($('kwic-body'));
  const summary = $('kwic-summary');
  document.querySelectorAll('#kwic-table th[data-sort]').forEach((th) => {
    th.setAttribute('aria-sort', th.dataset.sort === state.sort ? 'ascending' : 'none');
  });
  if (!state.q.trim()) {
    summary.textContent = 'The concordance needs a query.';
    return;
  }
  summary.textContent = 'Loading…';
  const data = await api('/api/kwic', kwicParams(state, KWIC_LIMIT));
  if (token !== renderToken) return;
  add(clear(summary),
    h('strong', { 'data-testid': 'kwic-occurrences' }, data.occurrences.toLocaleString('en')),
    ` ${data.occurrences === 1 ? 'occurrence' : 'occurrences'} in ${plural(data.documents, 'document')}`,
    data.more ? h('span', { class: 'muted' }, ` · first ${data.lines.length.toLocaleString('en')} shown`) : null,
  );
  $('export-kwic').disabled = !data.lines.length;
  for (const l of data.lines) {
    body.append(h('tr', { 'data-testid': 'kwic-line', 'data-doc': l.doc_id },
      h('td', { class: 'k-left' }, h('div', { class: 'k-clip' }, h('span', null, l.left))),
      h('td', { class: 'k-match' }, h('mark', null, l.match)),
      h('td', { class: 'k-right' }, h('div', { class: 'k-clip' }, l.right)),
      h('td', { class: 'k-year' }, l.year ? String(l.year) : '—'),
      h('td', { class: 'k-doc' }, h('div', { class: 'k-doc-clip' }, h('a', {
        href: docHref(l.doc_id), title: `${l.title || l.doc_id}\n${l.doc_id}\n${(l.organisations || []).join('; ')}`,
        onclick: linkNav({ view: 'document', doc: l.doc_id }),
      }, l.title || l.doc_id)))));
  }
  if (!data.lines.length) body.append(h('tr', null, h('td', { colspan: 5, class: 'muted' }, 'No occurrences.')));
}

// ---- document

let docMatches = [];   // mark groups, one per match (a match may span paragraphs)
let currentMatch = -1;

async function renderDocument(token) {
  const d = await api(`/api/documents/${encodeURIComponent(state.doc)}`, state.q ? queryParams(state) : []);
  if (token !== renderToken) return;
  const back = $('back-to-results');
  back.href = urlOf({ ...state, view: 'results', doc: '' });
  back.textContent = state.q || state.filters.length ? '← Results' : '← Search';
  $('doc-title').textContent = d.title || d.id;
  $('doc-side-title').textContent = d.title || d.id;
  const sub = clear($('doc-sub'));
  sub.append(h('span', { class: 'mono' }, d.id));
  if (d.source && d.source !== d.id) sub.append(' · ', d.source);
  const url = d.metadata && typeof d.metadata.url === 'string' && /^https?:\/\//.test(d.metadata.url) ? d.metadata.url : null;
  if (url) sub.append(' · ', h('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, 'original ↗'));
  document.title = `${d.title || d.id} – policy-search`;

  // Fields, in schema order.
  const fields = clear($('doc-fields'));
  const names = [...new Set([...FIRST_FIELDS, ...((indexInfo && indexInfo.fields) || []).map((f) => f.name), ...Object.keys(d.fields || {})])];
  for (const n of names) {
    const vals = (d.fields || {})[n];
    if (!vals || !vals.length) continue;
    fields.append(h('dt', null, label(n)), h('dd', { 'data-field': n }, vals.length > 1 && n !== 'years_mentioned'
      ? h('ul', null, vals.map((v) => h('li', null, v))) : vals.join(', ')));
  }
  if (!fields.childElementCount) fields.append(h('dd', { class: 'muted' }, 'No fields extracted.'));
  const meta = clear($('doc-metadata'));
  for (const [k, v] of Object.entries(d.metadata || {})) {
    meta.append(h('dt', null, k), h('dd', null, typeof v === 'string' ? v : JSON.stringify(v)));
  }

  // The text, paragraph by paragraph, with every match marked and, in a
  // document read page by page, a marker where each page begins.
  const root = clear($('doc-text'));
  const pieces = splitByByteRanges(d.text || '', d.matches || []);
  const pageStarts = (d.page_starts || []).map((b) => byteToCharIndex(d.text || '', b));
  let nextPage = 0;
  docMatches = [];
  let p = h('p');
  root.append(p);
  // Markers for the pages that begin at or before character `at`.
  const markPages = (at) => {
    while (nextPage < pageStarts.length && pageStarts[nextPage] <= at) {
      // Empty pages start where the next one does: mark the last of them.
      if (nextPage + 1 >= pageStarts.length || pageStarts[nextPage + 1] > at) {
        root.append(h('div', { class: 'page-break', 'data-testid': 'page-break', 'data-page': nextPage + 1 }, `p. ${nextPage + 1}`));
        p = h('p');
        root.append(p);
      }
      nextPage++;
    }
  };
  let at = 0;
  for (const piece of pieces) {
    if (piece.match === null) {
      let text = piece.text;
      let start = at;
      // Split the piece where pages begin inside it.
      while (nextPage < pageStarts.length && pageStarts[nextPage] < start + text.length) {
        const cut = Math.max(0, pageStarts[nextPage] - start);
        appendParagraphs(text.slice(0, cut));
        markPages(start + cut);
        text = text.slice(cut);
        start += cut;
      }
      appendParagraphs(text);
    } else {
      markPages(at);
      const m = h('mark', { 'data-match': piece.match, 'data-testid': 'doc-mark', id: `match-${piece.match + 1}` }, piece.text);
      docMatches[piece.match] = [m];
      p.append(m);
    }
    at += piece.text.length;
  }
  function appendParagraphs(text) {
    text.split(/\n[ \t]*\n\s*/).forEach((part, i) => {
      if (i > 0) { p = h('p'); root.append(p); }
      if (part) p.append(part);
    });
  }
  root.querySelectorAll('p').forEach((el) => { if (!el.textContent.trim()) el.remove(); });

  // A map of where the matches are.
  const map = clear($('match-map'));
  const total = (d.text || '').length || 1;
  let charPos = 0;
  for (const piece of pieces) {
    if (piece.match !== null) {
      const k = piece.match;
      map.append(h('span', { class: 'tick', style: { left: `${(100 * charPos) / total}%` }, 'data-match': k, onclick: () => gotoMatch(k) }));
    }
    charPos += piece.text.length;
  }
  map.hidden = docMatches.length === 0;

  currentMatch = -1;
  if (docMatches.length) gotoMatch(0);
  else { updateMatchNav(); window.scrollTo(0, 0); }
  $('doc-title').focus({ preventScroll: true });
}

function updateMatchNav() {
  const n = docMatches.length;
  const counter = $('match-counter');
  if (!state.q.trim()) counter.textContent = 'No query';
  else if (!n) counter.textContent = 'No matches';
  else counter.textContent = `${currentMatch + 1} / ${n}`;
  counter.title = n ? `Match ${currentMatch + 1} of ${n}` : '';
  counter.setAttribute('aria-label', n ? `Match ${currentMatch + 1} of ${n}` : counter.textContent);
  $('prev-match').disabled = n === 0;
  $('next-match').disabled = n === 0;
  document.querySelectorAll('#match-map .tick').forEach((t) => t.classList.toggle('current', Number(t.dataset.match) === currentMatch));
}

function gotoMatch(k) {
  const n = docMatches.length;
  if (!n) return;
  const next = ((k % n) + n) % n;
  if (currentMatch >= 0 && docMatches[currentMatch]) {
    for (const m of docMatches[currentMatch]) { m.classList.remove('current'); m.removeAttribute('aria-current'); }
  }
  currentMatch = next;
  for (const m of docMatches[currentMatch]) { m.classList.add('current'); m.setAttribute('aria-current', 'true'); }
  const first = docMatches[currentMatch][0];
  first.scrollIntoView({ block: 'center' });
  updateMatchNav();
}

// ---------------------------------------------------------------- events

function submitSearch(q) {
  const text = q.trim();
  const view = state.view === 'kwic' && text ? 'kwic' : 'results';
  const mode = $('any-words').checked ? 'any' : '';
  // The same search again re-renders (and refetches after an error).
  if (text === state.q && mode === state.mode && view === state.view && state.page === 1) {
    cache.clear();
    render();
    return;
  }
  go({ q: text, mode, page: 1, view, doc: '' });
}

/** Runs an example of the query syntax: read as syntax, whatever the box was. */
function runExample(query) {
  $('q').value = query;
  $('any-words').checked = false;
  submitSearch(query);
}

function init() {
  history.scrollRestoration = 'manual';
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submitSearch($('q').value);
  });
  document.querySelectorAll('button.example').forEach((b) => b.addEventListener('click', () => {
    b.closest('details')?.removeAttribute('open');
    runExample(b.textContent);
  }));
  // Ticking "Any words" reads the box again the other way.
  $('any-words').addEventListener('change', () => { if ($('q').value.trim()) submitSearch($('q').value); });
  $('clear-filters').addEventListener('click', clearFilters);
  $('page-size').addEventListener('change', (e) => go({ size: Number(e.target.value), page: 1 }));
  $('result-order').addEventListener('change', (e) => go({ order: e.target.value, page: 1 }));
  $('kwic-sort').addEventListener('change', (e) => go({ sort: e.target.value }, { replace: false }));
  document.querySelectorAll('#kwic-table .sort-button').forEach((b) => b.addEventListener('click', () => go({ sort: b.dataset.sort })));
  $('tab-results').addEventListener('click', linkNav({ view: 'results' }, 'tab-results'));
  $('tab-kwic').addEventListener('click', linkNav({ view: 'kwic', page: 1 }, 'tab-kwic'));
  $('back-to-results').addEventListener('click', (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    go({ view: 'results', doc: '' }, { focus: 'results-title' });
  });
  $('export-results').addEventListener('click', exportResults);
  $('export-kwic').addEventListener('click', exportKwic);
  $('next-match').addEventListener('click', () => gotoMatch(currentMatch + 1));
  $('prev-match').addEventListener('click', () => gotoMatch(currentMatch - 1));

  const help = document.querySelector('.syntax-help');
  document.addEventListener('click', (e) => {
    if (help.open && !help.contains(e.target)) help.open = false;
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && help.open) {
      help.open = false;
      help.querySelector('summary').focus();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    const typing = t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (typing) {
      if (e.key === 'Escape' && t.id === 'q') t.blur();
      return;
    }
    if (e.key === '/') {
      e.preventDefault();
      $('q').focus();
      $('q').select();
    } else if (state.view === 'document' && !$('document-view').hidden && (e.key === 'n' || e.key === 'p')) {
      e.preventDefault();
      gotoMatch(currentMatch + (e.key === 'n' ? 1 : -1));
    }
  });

  history.replaceState({ scroll: 0 }, '', urlOf(state));
  render();
}

init();
