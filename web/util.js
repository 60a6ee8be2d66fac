// Small helpers shared by the page: DOM building, UTF-8 byte-offset
// highlighting, filter strings and CSV export. No dependencies.

/** Builds an element: h('a', {href: '#', class: 'x', dataset: {id: 1}}, 'text', child). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Appends children (arrays flattened; null, undefined and false skipped). */
export function add(el, ...children) {
  append(el, children);
  return el;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Splits text into plain and highlighted pieces. ranges are UTF-8 byte
 * ranges [begin, end) into text (as the API gives them); they are sorted,
 * clamped and merged. Returns [{text, match: index|null}], where index is the
 * position of the range in the sorted list.
 */
export function splitByByteRanges(text, ranges) {
  const bytes = encoder.encode(text);
  const sorted = (ranges || [])
    .map(([b, e]) => [Math.max(0, Math.min(b, bytes.length)), Math.max(0, Math.min(e, bytes.length))])
    .filter(([b, e]) => e > b)
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const pieces = [];
  let pos = 0;
  let index = 0;
  for (const [b0, e] of sorted) {
    const b = Math.max(b0, pos);
    if (e <= b) continue; // contained in the previous range
    if (b > pos) pieces.push({ text: decoder.decode(bytes.subarray(pos, b)), match: null });
    pieces.push({ text: decoder.decode(bytes.subarray(b, e)), match: index++ });
    pos = e;
  }
  if (pos < bytes.length) pieces.push({ text: decoder.decode(bytes.subarray(pos)), match: null });
  return pieces;
}

/** Text with <mark> elements for the byte ranges, as a DocumentFragment. */
export function highlighted(text, ranges, markAttrs) {
  const frag = document.createDocumentFragment();
  for (const p of splitByByteRanges(text, ranges)) {
    frag.append(p.match === null ? p.text : h('mark', markAttrs, p.text));
  }
  return frag;
}

/** Character (UTF-16) index of a UTF-8 byte offset into text. */
export function byteToCharIndex(text, byteOffset) {
  const bytes = encoder.encode(text);
  return decoder.decode(bytes.subarray(0, Math.max(0, Math.min(byteOffset, bytes.length)))).length;
}

/** Parses `field:value`, `field:"value"`; null when it is not a field filter. */
export function parseFilter(s) {
  const m = /^([\p{L}\p{N}_.-]+):(.*)$/su.exec(String(s).trim());
  if (!m) return null;
  let value = m[2].trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    value = value.slice(1, -1).replace(/\\"/g, '"');
  }
  return { field: m[1], value };
}

/** The query-syntax filter for a facet value: years and ranges bare, others quoted. */
export function formatFilter(field, value, isYear) {
  const v = String(value);
  if (isYear && /^\d{0,4}(\.\.\d{0,4})?$/.test(v)) return `${field}:${v}`;
  return `${field}:"${v.replace(/"/g, '\\"')}"`;
}

/** A year filter value ("2016", "2010..2015", "2010..", "..2015") as [from, to]; null otherwise. */
export function yearRange(value) {
  const m = /^(\d{1,4})?(?:(\.\.)(\d{1,4})?)?$/.exec(String(value).trim());
  if (!m || (!m[1] && !m[3])) return null;
  if (!m[2]) return [Number(m[1]), Number(m[1])];
  return [m[1] ? Number(m[1]) : -Infinity, m[3] ? Number(m[3]) : Infinity];
}

/** One CSV field, quoted as RFC 4180 asks when it holds a comma, quote or line break. */
export function csvField(v) {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 text: CRLF line ends, a final CRLF. */
export function toCsv(rows) {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Saves rows as a UTF-8 CSV file through a Blob and a temporary link. */
export function downloadCsv(filename, rows) {
  const blob = new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

/** A file-name-safe slug of a query. */
export function slug(s) {
  const t = String(s).toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
  return t.slice(0, 60) || 'all';
}

export function plural(n, one, many) {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many || one + 's'}`;
}
