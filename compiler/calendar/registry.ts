import { join, resolve } from 'node:path';
import { ROOT } from '../../common/root.js';
import { CalendarError } from './errors.js';
import { readCalendarFile } from './load.js';
import type { WorkingCalendar } from './types.js';
import { buildCalendar } from './working-calendar.js';

const DEFAULT_DIR = join(ROOT, 'directives', 'calendars');
const cache = new Map<string, WorkingCalendar>();

export function loadCalendar(id: string, dir: string = DEFAULT_DIR): WorkingCalendar {
  // The id becomes a file name: refuse anything that could walk out of the directory.
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new CalendarError(`invalid calendar id ${JSON.stringify(id)}`);
  const file = join(resolve(dir), `${id}.yaml`);
  const hit = cache.get(file);
  if (hit) return hit;
  const cal = buildCalendar(readCalendarFile(file, id), file);
  cache.set(file, cal);
  return cal;
}
