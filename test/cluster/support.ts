/**
 * What the fault tests run on: chithi's own PostgreSQL as a throwaway server from the machine's
 * binaries (so a test may crash and restart it without touching the machine's cluster), ports
 * that are free, and the directive they deploy.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { setting } from '../../common/config.js';
import { freePort, portInUse } from '../../service/local-temporal.js';
import { clusterPorts } from '../../scripts/temporal-cluster.js';

export interface ScratchPostgres {
  /** postgres://postgres@127.0.0.1:<port>/chithi */
  url: string;
  port: number;
  /** SIGQUIT: an immediate shutdown, as a crash; the next start replays the WAL. */
  crash(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function binDir(): string {
  for (const dir of [setting(process.env, 'PG_BINDIR'), '/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/local/bin']) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) return dir;
  }
  throw new Error("no PostgreSQL binaries (initdb, postgres) found: install Debian's postgresql or set PG_BINDIR");
}

/** initdb into a temp folder, trust on loopback; PostgreSQL refuses root, so as `postgres` then. */
export async function startScratchPostgres(): Promise<ScratchPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'chithi-cluster-pg-'));
  const asRoot = userInfo().uid === 0;
  const wrap = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  const data = join(dir, 'data');
  const [c, a] = wrap(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8']);
  execFileSync(c, a, { stdio: 'ignore' });
  const port = await freePort();
  const base = `postgresql://postgres@127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const launch = async () => {
    const [pc, pa] = wrap(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=100']);
    const p = spawn(pc, pa, { stdio: 'ignore' });
    child = p;
    exited = new Promise<void>((r) => p.once('exit', () => r()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const probe = new pg.Client({ connectionString: `${base}/postgres` });
      try {
        await probe.connect();
        await probe.end();
        return;
      } catch (err) {
        await probe.end().catch(() => undefined);
        if (Date.now() > deadline || p.exitCode !== null) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const halt = async (signal: NodeJS.Signals) => {
    // runuser forwards the signal to postgres; the postmaster ends its backends itself.
    child?.kill(signal);
    const t = setTimeout(() => child?.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  };
  await launch();
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE chithi');
  await admin.end();
  return {
    url: `${base}/chithi`,
    port,
    crash: () => halt('SIGQUIT'),
    start: launch,
    async stop() {
      await halt('SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A base port whose whole cluster range (clusterPorts) is free. */
export async function freeClusterBase(): Promise<number> {
  for (const base of [17233, 27233, 37233, 47233]) {
    const p = clusterPorts(base);
    const all = [...Object.values(p.grpc), ...Object.values(p.membership), ...Object.values(p.metrics), p.http];
    const busy = await Promise.all(all.map((port) => portInUse(port)));
    if (!busy.some(Boolean)) return base;
  }
  throw new Error('no free port range for a test cluster');
}

/** Today in Vietnam, and days from it, as YYYY-MM-DD. */
export function vnDate(days = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(Date.now() + days * 86_400_000));
}

export const DISTRICTS = Array.from({ length: 30 }, (_, i) => `quan-${String(i + 1).padStart(2, '0')}`);

/** A province's registry: its committee, chairman, coordinating department and 30 districts. */
export function registryYaml(): string {
  const districts = DISTRICTS.map(
    (id, i) => `  - id: ${id}
    name: { vi: "Quận ${i + 1}", en: "District ${i + 1}" }
    kind: district
    email: ${id}@tinh.example`,
  ).join('\n');
  return `apiVersion: chithi/v1
kind: UnitRegistry
metadata:
  id: tinh-cluster
  province: { vi: "Tỉnh thử cụm", en: "Cluster test province" }
  asOf: ${vnDate(-40)}
units:
  - id: ubnd-tinh
    name: { vi: "UBND tỉnh", en: "Provincial People's Committee" }
    kind: people-committee
    email: ubnd@tinh.example
  - id: chu-tich
    name: { vi: "Chủ tịch UBND tỉnh", en: "Chairman" }
    kind: leadership
    email: chutich@tinh.example
  - id: so-tttt
    name: { vi: "Sở Thông tin và Truyền thông", en: "Department of Information and Communications" }
    kind: department
    email: sotttt@tinh.example
${districts}
`;
}

/**
 * Three deadline duties for every district: one already overdue when deployed (its overdue notice
 * and escalation go at once), two in the weeks ahead (submitted and reviewed during the faults).
 * Every letter immediate, so notices leave while the test watches rather than at 08:00.
 */
export function directiveYaml(id: string, number: string): string {
  return `apiVersion: chithi/v1
kind: Directive
metadata:
  id: ${id}
  number: ${number}
  type: cong-van
  issuer: ubnd-tinh
  issued: ${vnDate(-40)}
  revision: 1
  title: { vi: "Chỉ thị thử cụm ${number}", en: "Cluster test directive ${number}" }
  timezone: Asia/Ho_Chi_Minh
  calendar: { id: vn, dueOnDayOff: next-working-day }
  registry: registries/tinh-cluster.yaml
roles:
  coordinator: so-tttt
  leadership: chu-tich
audiences:
  districts: { kind: district }
defaults:
  reminders: [P7D, P1D]
  escalation:
    - { after: P0D, to: [coordinator] }
    - { after: P7D, to: [leadership] }
  reviewer: coordinator
  evidence:
    - { kind: field, name: summary, title: { vi: "Tóm tắt kết quả", en: "Summary" }, format: text }
  notify:
    units: { cadence: immediate }
    escalations: { cadence: immediate }
obligations:
  - id: dau-moi
    clause: "1.1"
    title: { vi: "Gửi thông tin đầu mối", en: "Send the contact point" }
    assignees: [districts]
    kind: deadline
    due: ${vnDate(-10)}
  - id: ke-hoach
    clause: "1.2"
    title: { vi: "Ban hành kế hoạch", en: "Issue the plan" }
    assignees: [districts]
    kind: deadline
    due: ${vnDate(30)}
  - id: bao-cao
    clause: "1.3"
    title: { vi: "Báo cáo kết quả rà soát", en: "Report the review's results" }
    assignees: [districts]
    kind: deadline
    due: ${vnDate(45)}
`;
}
