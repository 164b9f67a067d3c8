/**
 * Lịch làm việc được đọc sẵn lúc dựng: scripts/build.mjs ghi mỗi directives/calendars/<id>.yaml đã
 * kiểm tra xong thành dist/calendars/<id>.json, kèm mã băm SHA-256 của văn bản YAML. Tệp YAML vẫn
 * là nguồn gốc; bản JSON chỉ được dùng khi văn bản YAML đọc lúc chạy có đúng mã băm đó.
 * Working calendars read at build time: scripts/build.mjs writes each checked
 * directives/calendars/<id>.yaml as dist/calendars/<id>.json with the SHA-256 of the YAML text. The
 * YAML stays the source of truth: the JSON is used only when the YAML text read at run time has
 * that very digest, so an edited calendar (or another CHITHI_CALENDAR_DIR's) is parsed as before,
 * never served stale, whether or not dist/ was rebuilt.
 *
 * Why: reading vn.yaml (yaml's parser, the calendar's ajv validator, the cross-checks' date
 * arithmetic through luxon) was ~45–55 ms of a one-shot `chithi validate
 * directives/hanoi-3968-2022.yaml` from dist/ (in-process, cold, medians of a few runs on a loaded
 * 2-core machine); the JSON read and the digest take ~1 ms.
 *
 * The data is what readCalendarFile returns (doc.toJS() of a calendar that passed the schema and
 * the cross-checks), kept only if JSON gives it back unchanged.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../../common/root.js';
import type { CalendarFile } from './data.js';

/** dist/calendars/, when this module runs from dist/; undefined from the sources (tsx), which always parse. */
const PRECOMPILED = fileURLToPath(import.meta.url).startsWith(join(ROOT, 'dist') + sep) ? join(ROOT, 'dist', 'calendars') : undefined;

interface PrecompiledCalendar {
  id: string;
  /** SHA-256 (hex) of the YAML text the data was read from. */
  sha256: string;
  data: CalendarFile;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The build's reading of calendar `id`, if it was made from exactly this YAML text. */
export function precompiledCalendar(id: string, text: string): CalendarFile | undefined {
  if (!PRECOMPILED) return undefined;
  let entry: PrecompiledCalendar;
  try {
    entry = JSON.parse(readFileSync(join(PRECOMPILED, `${id}.json`), 'utf8')) as PrecompiledCalendar;
  } catch {
    return undefined; // none built for this id (or unreadable): parse the YAML
  }
  return entry.id === id && entry.sha256 === digest(text) ? entry.data : undefined;
}

/**
 * For scripts/build.mjs: each calendar of `dir` that reads without error, as the JSON to write to
 * dist/calendars/<id>.json. A calendar that fails is left out: at run time it is parsed and its
 * error reported as before.
 */
export function precompileCalendars(parse: (text: string, file: string, id: string) => CalendarFile, dir = join(ROOT, 'directives', 'calendars')): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.yaml')) continue;
    const id = name.slice(0, -'.yaml'.length);
    const file = join(dir, name);
    // One read: the digest is of the very text the data comes from.
    const text = readFileSync(file, 'utf8');
    let data: CalendarFile;
    try {
      data = parse(text, file, id);
    } catch {
      continue;
    }
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(data)), data)) continue;
    const entry: PrecompiledCalendar = { id, sha256: digest(text), data };
    out[id] = JSON.stringify(entry) + '\n';
  }
  return out;
}
