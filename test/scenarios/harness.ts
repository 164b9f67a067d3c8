/**
 * A seed directive living its own dates: time-skipping server, real activities, a fresh
 * PostgreSQL database, a loopback SMTP server, and the `chithi` CLI pointed at all of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { smtpEmailChannel } from '../../activities/index.js';
import { main } from '../../client/cli.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { toolPath } from '../../service/local-temporal.js';
import { compileFile } from '../../compiler/index.js';
import type { Plan } from '../../compiler/plan.js';
import { QUERY, type InstanceState } from '../../workflows/types.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { startTestWorker } from '../support/worker.js';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp.js';
import { settle } from '../support/temporal.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TZ = 'Asia/Ho_Chi_Minh';

export interface Scenario {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  smtp: TestSmtpServer;
  /** Scratch folder the CLI runs in (evidence files go here). */
  dir: string;
  /** The seed compiled as of its own date. */
  plan: Plan;
  /** Business time − server time: pass to deploy() as clockOffsetMs. */
  offset: number;
  /** Runs `chithi …`; a non-zero exit fails the test with the CLI's stderr. */
  cli(...argv: string[]): Promise<string>;
  /** Moves the directive's clock to a local date-time in Hanoi time (no-op when already past). */
  until(local: string): Promise<void>;
  /** The instance's state once nothing is in flight for it (see workflows/README.md). */
  state(workflowId: string): Promise<InstanceState>;
  /**
   * E-mails about one instance by notice kind (keys are `<workflowId>:<cycle>:<kind>:…`), optionally
   * those whose envelope names one unit: pair it with `recipients` to know nobody else got them.
   */
  mails(workflowId: string, kind: string, to?: string): ReceivedMail[];
  waitMails(workflowId: string, kind: string, to: string, n?: number): Promise<ReceivedMail[]>;
  /**
   * The envelope recipients of every e-mail that carried an instance's notices of one kind, as unit
   * ids (an address no unit has stays an address), one list per e-mail, sorted: the exact set.
   */
  recipients(workflowId: string, kind: string): Promise<string[][]>;
  /** The envelope recipients of one e-mail, as unit ids. */
  to(mail: ReceivedMail): string[];
  /**
   * Once every committed e-mail is sent: each e-mail received with the outbox keys of the notices it
   * carried (`<notice key>:email:<unit>`), a letter's notices or the e-mail's own (chithi rehearse
   * is compared with this, notice for notice).
   */
  carried(): Promise<{ mail: ReceivedMail; keys: string[] }[]>;
  close(): Promise<void>;
}

/** The local date a notice was issued on: its own time (X-Chithi-Notice-At), not the wall clock's. */
export function noticeDate(m: ReceivedMail): string | null {
  return DateTime.fromISO(m.headers['x-chithi-notice-at']!).setZone(TZ).toISODate();
}

/** The compiled seed, with every obligation's assignees narrowed to the units under test. */
export function narrow(plan: Plan, units: string[]): Plan {
  const keep = new Set(units);
  const obligations = plan.obligations
    .map((o) => ({ ...o, assignees: o.assignees.filter((u) => keep.has(u)) }))
    .filter((o) => o.assignees.length > 0);
  return { ...plan, obligations, hash: `${plan.hash}:${units.join(',')}` };
}

export async function startScenario(seed: string, start: { asOf: string; at: string }): Promise<Scenario> {
  const compiled = await compileFile(join(ROOT, seed), { asOf: start.asOf });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics, null, 1));
  const plan = compiled.plan;
  const emails = Object.fromEntries(Object.values(plan.units).map((u) => [u.id, u.email ?? '']));
  const unitOf = new Map(Object.values(plan.units).flatMap((u) => (u.email ? [[u.email.toLowerCase(), u.id] as const] : [])));
  const envelopeUnits = (m: ReceivedMail): string[] => m.to.map((a) => unitOf.get(a.toLowerCase()) ?? a);
  const dir = mkdtempSync(join(tmpdir(), 'chithi-scenario-'));
  const db = await freshDatabase();
  const smtp = await startSmtpServer();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPath('testServer') } },
  });
  const worker = await startTestWorker(env, db.pool, { email: smtpEmailChannel(smtp.url) });
  const offset = DateTime.fromISO(start.at, { zone: TZ }).toMillis() - (await env.currentTimeMs());
  const handle = (id: string) => env.client.workflow.getHandle(id);

  // A letter is one e-mail carrying several notices (activities/notify/letters.ts): an e-mail
  // "about" a notice is the one that carried it, alone or in a letter. Refreshed from the outbox
  // whenever the tests look at mail.
  let carried = new Map<string, string[]>();
  const refresh = async (): Promise<void> => {
    const { rows } = await db.pool.query<{ letter_key: string; idempotency_key: string }>(
      'SELECT letter_key, idempotency_key FROM outbox WHERE letter_key IS NOT NULL',
    );
    const next = new Map<string, string[]>();
    for (const r of rows) next.set(r.letter_key, [...(next.get(r.letter_key) ?? []), r.idempotency_key]);
    carried = next;
  };
  const mails = (id: string, kind: string, to?: string): ReceivedMail[] =>
    smtp.messages.filter((m) => {
      const key = m.headers['x-chithi-idempotency-key'] ?? '';
      const keys = carried.get(key) ?? [key];
      return (
        keys.some((k) => k.startsWith(`${id}:`) && k.split(':')[2] === kind) && (to === undefined || m.to.includes(emails[to]!))
      );
    });

  // The API server the CLI calls, started with the first command line (test/support/api.ts).
  const cliEnv = { TEMPORAL_ADDRESS: env.address, DATABASE_URL: db.url, CHITHI_LANG: 'vi', ...(db.embedded ? { DATABASE_POOL_MAX: '1' } : {}) };
  let api: TestApi | undefined;
  return {
    env,
    db,
    smtp,
    dir,
    plan,
    offset,
    async cli(...argv) {
      let stdout = '';
      let stderr = '';
      api ??= await startTestApi({ pool: db.pool, client: env.client, env: cliEnv });
      const token = await api.tokenFor(argv);
      const code = await main(argv, {
        stdout: (t) => void (stdout += t),
        stderr: (t) => void (stderr += t),
        env: { ...cliEnv, CHITHI_API_URL: api.url, ...(token !== undefined && { CHITHI_TOKEN: token }) },
        cwd: dir,
      });
      if (code !== 0) throw new Error(`chithi ${argv.join(' ')} → ${code}\n${stderr}`);
      return stdout;
    },
    async until(local) {
      const target = DateTime.fromISO(local, { zone: TZ }).toMillis() - offset;
      const d = target - (await env.currentTimeMs());
      if (d > 0) await env.sleep(d);
    },
    async state(id) {
      await settle(env.client, id);
      // Notices are sent after the step commits: once the instance is idle, let its mail go out
      // so that "no such e-mail" means none was sent, not "not yet".
      await worker.delivery.idle();
      await refresh();
      return handle(id).query<InstanceState>(QUERY.state);
    },
    mails,
    async recipients(id, kind) {
      await worker.delivery.idle();
      await refresh();
      return mails(id, kind)
        .map(envelopeUnits)
        .sort((a, b) => a.join(',').localeCompare(b.join(',')));
    },
    to: envelopeUnits,
    async carried() {
      await worker.delivery.idle();
      await refresh();
      return smtp.messages.map((mail) => {
        const key = mail.headers['x-chithi-idempotency-key'] ?? '';
        return { mail, keys: carried.get(key) ?? [key] };
      });
    },
    async waitMails(id, kind, to, n = 1) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        await refresh();
        const found = mails(id, kind, to);
        if (found.length >= n) return found;
        if (Date.now() > deadline) throw new Error(`no ${kind} e-mail to ${to} for ${id}; ${smtp.messages.length} e-mails in all`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await api?.close();
      await worker.stop();
      await env.teardown();
      await smtp.stop();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
