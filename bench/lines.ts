/**
 * Dòng kết quả của benchmark và cách in chúng thành bảng: `npm run bench` và `npm run bench:scale`
 * in cùng một dạng.
 * A benchmark's result lines and their table: `npm run bench` and `npm run bench:scale` print the
 * same shape (name, value, baseline, ratio, target, PASS/FAIL), one line per result.
 */
export interface BenchLine {
  name: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  pass: boolean;
}

export const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Prints the lines as a table on stdout; returns whether every line passed. */
export function printLines(lines: BenchLine[]): boolean {
  const header = ['bench', 'value', 'baseline', 'ratio', 'target', 'result'];
  const rows = lines.map((l) => [l.name, l.value, l.baseline, l.ratio, l.target, l.pass ? 'PASS' : 'FAIL']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const print = (r: string[]) => console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  print(header);
  for (const r of rows) print(r);
  return lines.every((l) => l.pass);
}

/** Runs one part; a part that throws becomes a FAIL line with its first error line, not a crash. */
export async function guarded(lines: BenchLine[], name: string, fn: () => Promise<BenchLine[]>): Promise<void> {
  process.stderr.write(`${name}…\n`);
  try {
    lines.push(...(await fn()));
  } catch (err) {
    lines.push({ name, value: `error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, baseline: '-', ratio: '-', target: '-', pass: false });
  }
}
