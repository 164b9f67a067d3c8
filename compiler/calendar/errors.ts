/** Where in a data file a problem was found; 1-based like editors show it. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

/** A calendar data file is missing, unparsable or inconsistent. */
export class CalendarError extends Error {
  override name = 'CalendarError';
  readonly location: SourceLocation | undefined;

  constructor(message: string, location?: SourceLocation) {
    super(location ? `${formatLocation(location)}: ${message}` : message);
    this.location = location;
  }
}

/** A string that was supposed to be an ISO-8601 duration is not one. */
export class DurationError extends Error {
  override name = 'DurationError';
}

/** A date, instant or timezone argument is not valid. */
export class DateError extends Error {
  override name = 'DateError';
}

function formatLocation(loc: SourceLocation): string {
  if (loc.line === undefined) return loc.file;
  return loc.column === undefined ? `${loc.file}:${loc.line}` : `${loc.file}:${loc.line}:${loc.column}`;
}
