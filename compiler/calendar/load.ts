import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { Document } from 'yaml';
import { checkZone, isRealDate } from './dates.js';
import type { CalendarFile } from './data.js';
import { lunarEntryDate } from './data.js';
import { pointerToPath } from '../positions.js';
import { loadValidator } from '../validators.js';
import { CalendarError } from './errors.js';
import type { SourceLocation } from './errors.js';
import { precompiledCalendar } from './precompiled.js';

// Loaded when a calendar is parsed, not when the build's reading of it is used (precompiled.ts).
let validator: ValidateFunction<CalendarFile> | undefined;

type PathSegment = string | number;

/** Reads, schema-checks and cross-checks one calendar file; every failure names file:line:column. */
export function readCalendarFile(file: string, expectedId: string): CalendarFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CalendarError(`cannot read calendar file: ${(e as Error).message}`, { file });
  }
  return precompiledCalendar(expectedId, text) ?? parseCalendarText(text, file, expectedId);
}

/** Parses, schema-checks and cross-checks the text of one calendar file (the build's reading too). */
export function parseCalendarText(text: string, file: string, expectedId: string): CalendarFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const pos = lineCounter.linePos(firstError.pos[0]);
    throw new CalendarError(`YAML syntax: ${firstError.message.split('\n')[0]}`, { file, line: pos.line, column: pos.col });
  }
  const locate = (path: PathSegment[]): SourceLocation => locateNode(doc, lineCounter, file, path);
  const data: unknown = doc.toJS();
  const validate = (validator ??= loadValidator<CalendarFile>('calendar'));
  if (!validate(data)) {
    const err = (validate.errors ?? [])[0];
    throw new CalendarError(describe(err), locate(pointerToPath(err?.instancePath ?? '')));
  }
  crossCheck(data, expectedId, locate);
  return data;
}

function describe(err: ErrorObject | undefined): string {
  if (!err) return 'does not match calendar.schema.json';
  const where = err.instancePath || '(root)';
  const extra = err.keyword === 'additionalProperties' ? ` (${String(err.params['additionalProperty'])})` : '';
  return `${where} ${err.message ?? 'is invalid'}${extra}`;
}

function locateNode(doc: Document, lc: LineCounter, file: string, path: PathSegment[]): SourceLocation {
  // Walk up until a node exists: a missing key is reported at its parent.
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const pos = lc.linePos(node.range[0]);
      return { file, line: pos.line, column: pos.col };
    }
    // Year keys of lunarDates are numbers in YAML, strings in JSON.
    const seg = path[n - 1];
    if (typeof seg === 'string' && /^\d+$/.test(seg)) {
      const alt = [...path.slice(0, n - 1), Number(seg)];
      const altNode = doc.getIn(alt, true);
      if (isNode(altNode) && altNode.range) {
        const pos = lc.linePos(altNode.range[0]);
        return { file, line: pos.line, column: pos.col };
      }
    }
  }
  return { file };
}

/** What the schema cannot say: real dates, ordering, references between sections. */
function crossCheck(data: CalendarFile, expectedId: string, locate: (p: PathSegment[]) => SourceLocation): void {
  const fail = (msg: string, path: PathSegment[]): never => {
    throw new CalendarError(msg, locate(path));
  };
  if (data.id !== expectedId) fail(`id "${data.id}" does not match the file name "${expectedId}"`, ['id']);
  try {
    checkZone(data.timezone);
  } catch {
    fail(`unknown timezone ${data.timezone}`, ['timezone']);
  }
  const date = (d: string, path: PathSegment[]): void => {
    if (!isRealDate(d)) fail(`${d} is not a real date`, path);
  };
  const ascending = (items: { from: string }[], section: string): void => {
    items.forEach((it, i) => {
      date(it.from, [section, i, 'from']);
      const prev = items[i - 1];
      if (prev && prev.from >= it.from) fail(`${section} must be in ascending "from" order`, [section, i, 'from']);
    });
  };
  ascending(data.weeklyDaysOff, 'weeklyDaysOff');
  ascending(data.ruleSets, 'ruleSets');

  const holidayIds = new Set<string>();
  data.ruleSets.forEach((rs, i) =>
    rs.holidays.forEach((h, j) => {
      holidayIds.add(h.id);
      const md = h.solar ?? h.lunar;
      const max = h.lunar ? 30 : new Date(Date.UTC(2024, (md?.month ?? 1), 0)).getUTCDate();
      if (md && md.day > max) fail(`day ${md.day} does not exist in month ${md.month}`, ['ruleSets', i, 'holidays', j]);
      if (rs.holidays.findIndex((o) => o.id === h.id) !== j) fail(`duplicate holiday id ${h.id}`, ['ruleSets', i, 'holidays', j, 'id']);
    }),
  );

  const lunarIds = new Set(data.ruleSets.flatMap((rs) => rs.holidays.filter((h) => h.lunar).map((h) => h.id)));
  for (const [year, entries] of Object.entries(data.lunarDates ?? {})) {
    for (const [id, entry] of Object.entries(entries)) {
      const path = ['lunarDates', year, id];
      if (!lunarIds.has(id)) fail(`${id} is not a lunar holiday of any rule set`, path);
      const d = lunarEntryDate(entry);
      date(d, path);
      if (!d.startsWith(`${year}-`)) fail(`${d} is not in year ${year}`, path);
    }
  }

  const seen = new Map<string, number>();
  (data.arrangements ?? []).forEach((a, i) => {
    a.holidays.forEach((id, j) => {
      if (!holidayIds.has(id)) fail(`unknown holiday id ${id}`, ['arrangements', i, 'holidays', j]);
      const key = `${a.year}:${id}`;
      const other = seen.get(key);
      if (other !== undefined) fail(`${id} ${a.year} is already arranged by arrangements[${other}]`, ['arrangements', i, 'holidays', j]);
      seen.set(key, i);
    });
    a.off.forEach((r, j) => {
      date(r.from, ['arrangements', i, 'off', j, 'from']);
      date(r.to, ['arrangements', i, 'off', j, 'to']);
      if (r.to < r.from) fail(`range ends before it starts`, ['arrangements', i, 'off', j]);
      // An arrangement may reach into a neighbouring year (31/12 for New Year) but no further.
      const y = (d: string): number => Number(d.slice(0, 4));
      if (Math.abs(y(r.from) - a.year) > 1 || Math.abs(y(r.to) - a.year) > 1) fail(`range is far from year ${a.year}`, ['arrangements', i, 'off', j]);
    });
    (a.work ?? []).forEach((d, j) => date(d, ['arrangements', i, 'work', j]));
  });
}
