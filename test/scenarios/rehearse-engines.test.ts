/**
 * The rehearsal's simulated Temporal (worker/simulation/engine.ts, the default) against the
 * time-skipping test server with the SDK's worker (`--engine temporal`): the same directive, the
 * same assumption, and every notice (key, recipient, kind, due date, time, the e-mail carrying
 * it), every e-mail (recipient, time, subject, letter, notices it carries) and every unit's
 * action must be the same. Times compare to the minute: on the test server a workflow task starts
 * whenever the worker takes it (a submission at 09:00 is taken at 09:00:02.8 under load), while
 * the simulation starts it 1 ms after what woke it (TASK_LATENCY_MS); every instant chithi
 * computes is a whole minute, a day's end or 1 ms after it.
 *
 * The cases cover what the Hanoi year (rehearse.test.ts: silent units, against real e-mail) does
 * not: units submitting on time and late (signals, the submission's time read from history,
 * reviews, acceptances, the next cycle), and the 1.1 constructs (working days, due dates after
 * receipt and after another duty's completion, interpreted timing, reportTo).
 */
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../compiler/index.js';
import { ROOT } from '../../common/config.js';
import { rehearse, type Assumption, type Rehearsal } from '../../service/rehearse.js';

function lines(r: Rehearsal): { notices: string[]; emails: string[] } {
  const minute = (at: string | undefined) => (at === undefined ? '-' : DateTime.fromISO(at, { setZone: true }).setZone(r.directive.timezone).toFormat("yyyy-MM-dd'T'HH:mm"));
  return {
    notices: r.notices
      .map((n) => [n.key, n.recipient, n.kind, n.due ?? '-', minute(n.at), minute(n.email?.at), n.email?.letter ?? '-', n.email?.heldUntil ?? '-'].join(' '))
      .sort(),
    emails: r.emails.map((e) => [e.key, e.recipient, minute(e.at), e.subject, e.letter, e.notices].join(' ')).sort(),
  };
}

const CASES: { file: string; assume: Assumption; to?: string }[] = [
  { file: 'binhthuan-4052-2022.yaml', assume: 'late' },
  { file: 'examples/vi-du-1-1.yaml', assume: 'on-time' },
  { file: 'examples/vi-du-1-1.yaml', assume: 'late' },
];

async function planOf(file: string) {
  const compiled = await compileFile(join(ROOT, 'directives', file));
  if (!compiled.ok) throw new Error(`${file} does not compile`);
  return compiled.plan;
}

describe('chithi rehearse: the simulation gives what the time-skipping server gives', () => {
  const simulated = new Map<string, Rehearsal>();
  for (const c of CASES) {
    it(`${c.file}, --assume ${c.assume}`, async () => {
      const plan = await planOf(c.file);
      const opts = { from: plan.directive.issued, to: c.to ?? DateTime.fromISO(plan.directive.issued).plus({ years: 1 }).toISODate()!, assume: c.assume };
      const temporal = await rehearse(plan, { ...opts, engine: 'temporal' });
      const s = await rehearse(plan, { ...opts, engine: 'simulation' });
      simulated.set(`${c.file} ${c.assume}`, s);
      expect(s.instances).toBe(temporal.instances);
      expect(s.actions).toEqual(temporal.actions);
      if (c.assume !== 'silent') expect(temporal.actions.accepted).toBeGreaterThan(10);
      const [tl, sl] = [lines(temporal), lines(s)];
      expect(tl.notices.length).toBeGreaterThan(50);
      expect(sl.notices).toEqual(tl.notices);
      expect(sl.emails).toEqual(tl.emails);
    }, 300_000);
  }

  // PGlite serves one connection: a composition that read the directive's standing (a letter with
  // an escalation) from a second connection inside its transaction waited for itself for ever.
  it('on the embedded PGlite (no PostgreSQL binaries), the same: letters with escalations are composed', async () => {
    const plan = await planOf('examples/vi-du-1-1.yaml');
    const onPostgres = simulated.get('examples/vi-du-1-1.yaml late');
    if (!onPostgres) throw new Error('runs after the case it compares with');
    const saved = process.env.BENCH_EMBEDDED_PG;
    process.env.BENCH_EMBEDDED_PG = '1';
    try {
      const embedded = await rehearse(plan, { from: onPostgres.from, to: onPostgres.to, assume: 'late', engine: 'simulation' });
      expect(embedded.notices.some((n) => n.kind === 'escalation' && n.email?.letter)).toBe(true);
      expect(lines(embedded)).toEqual(lines(onPostgres));
    } finally {
      if (saved === undefined) delete process.env.BENCH_EMBEDDED_PG;
      else process.env.BENCH_EMBEDDED_PG = saved;
    }
  }, 300_000);
});
