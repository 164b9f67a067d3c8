/**
 * `chithi rehearse directives/hanoi-3968-2022.yaml --to 2023-12-31 --assume silent` as the author
 * waits for it: compile, throwaway PostgreSQL and test server, the year in virtual time, teardown
 * (issue 11: under 30 s). Everything but the process start and the printing.
 */
import { join } from 'node:path';
import { compileFile } from '../compiler/index.js';
import { ROOT } from '../common/config.js';
import { rehearse } from '../service/rehearse.js';

export interface RehearsalBench {
  seconds: number;
  instances: number;
  notices: number;
  emails: number;
}

export async function benchRehearsal(log: (s: string) => void = () => undefined): Promise<RehearsalBench> {
  const t0 = performance.now();
  const compiled = await compileFile(join(ROOT, 'directives', 'hanoi-3968-2022.yaml'), { asOf: '2022-11-28' });
  if (!compiled.ok) throw new Error('hanoi-3968-2022.yaml does not compile');
  const r = await rehearse(compiled.plan, { from: compiled.plan.directive.issued, to: '2023-12-31', assume: 'silent', log: (t) => log(t.en) });
  return { seconds: (performance.now() - t0) / 1000, instances: r.instances, notices: r.notices.length, emails: r.emails.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchRehearsal((s) => console.error(s))));
}
