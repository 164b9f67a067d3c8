/**
 * `npm run cluster`: một cụm Temporal như môi trường sản xuất (scripts/temporal-cluster.ts), chạy
 * nền; `npm run cluster -- --stop` dừng nó, `--status` cho biết dịch vụ nào đang chạy.
 * `npm run cluster`: a production-shaped Temporal cluster (scripts/temporal-cluster.ts), left
 * running in the background with its pids in `.data/cluster/pids.json`; `-- --stop` stops it,
 * `-- --status` says which services run. Then `TEMPORAL_ADDRESS=127.0.0.1:7233 npm start`.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { clusterSettings, ConfigError, DATA_DIR, setting } from '../common/config.js';
import { portInUse } from '../service/local-temporal.js';
import { alive, clusterPorts, SERVICES, startCluster, stopPid, TEMPORAL_SERVER_VERSION, type ServiceName } from './temporal-cluster.js';

const DIR = join(DATA_DIR, 'cluster');
const PID_FILE = join(DIR, 'pids.json');
const lang = (() => {
  try {
    return setting(process.env, 'CHITHI_LANG');
  } catch {
    return 'vi';
  }
})();
const say = (vi: string, en: string) => console.log(lang === 'en' ? en : vi);

function savedPids(): Partial<Record<ServiceName, number>> {
  if (!existsSync(PID_FILE)) return {};
  try {
    return JSON.parse(readFileSync(PID_FILE, 'utf8')) as Partial<Record<ServiceName, number>>;
  } catch {
    return {};
  }
}

function running(): ServiceName[] {
  const pids = savedPids();
  return SERVICES.filter((s) => pids[s] !== undefined && alive(pids[s]));
}

async function stop(): Promise<void> {
  const pids = savedPids();
  const up = running();
  // The frontend last: clients get a clear "unavailable" rather than half a cluster.
  for (const s of ['worker', 'matching', 'history', 'frontend'] as const) {
    const pid = pids[s];
    if (pid !== undefined && up.includes(s)) await stopPid(pid);
  }
  rmSync(PID_FILE, { force: true });
  say(up.length > 0 ? `Đã dừng cụm Temporal (${up.join(', ')}).` : 'Cụm Temporal không chạy.', up.length > 0 ? `Stopped the Temporal cluster (${up.join(', ')}).` : 'The Temporal cluster is not running.');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--stop')) return stop();
  const ports = clusterPorts(setting(process.env, 'CHITHI_CLUSTER_PORT'));
  const address = `127.0.0.1:${ports.grpc.frontend}`;
  const up = running();
  if (args.includes('--status')) {
    say(
      up.length > 0 ? `Đang chạy: ${up.join(', ')} (${address}).` : 'Cụm Temporal không chạy.',
      up.length > 0 ? `Running: ${up.join(', ')} (${address}).` : 'The Temporal cluster is not running.',
    );
    process.exitCode = up.length === SERVICES.length ? 0 : 1;
    return;
  }
  if (up.length === SERVICES.length) {
    say(`Cụm Temporal đã chạy ở ${address}.`, `The Temporal cluster already runs at ${address}.`);
    return;
  }
  const settings = clusterSettings(process.env);
  // Half a cluster (a service crashed, or was killed): start afresh rather than guess.
  if (up.length > 0) await stop();
  for (const port of [...Object.values(ports.grpc), ...Object.values(ports.membership), ports.http]) {
    if (await portInUse(port)) {
      throw new ConfigError({
        vi: `Cổng ${port} đang bận (có thể npm start đang chạy máy chủ Temporal cục bộ). Dừng nó, hoặc đặt CHITHI_CLUSTER_PORT.`,
        en: `Port ${port} is busy (maybe npm start runs its local Temporal server). Stop it, or set CHITHI_CLUSTER_PORT.`,
      });
    }
  }
  const started = Date.now();
  const cluster = await startCluster({ settings, dir: DIR, detach: true, log: (l) => console.error(l) });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const metrics = SERVICES.map((s) => `${s} :${ports.metrics[s]}`).join(', ');
  say(
    `Cụm Temporal ${TEMPORAL_SERVER_VERSION} đang chạy ở ${cluster.address} (${seconds} giây): frontend, history, matching, worker là bốn tiến trình; cơ sở dữ liệu ${settings.dbName} và ${settings.visibilityDbName}.
Nhật ký: ${join(DIR, 'logs')}/; số đo Prometheus: ${metrics}.
Chạy chithi trên cụm:   TEMPORAL_ADDRESS=${cluster.address} DATABASE_URL=postgres://… npm start
Dừng:                   npm run cluster -- --stop`,
    `Temporal ${TEMPORAL_SERVER_VERSION} cluster running at ${cluster.address} (${seconds} s): frontend, history, matching and worker as four processes; databases ${settings.dbName} and ${settings.visibilityDbName}.
Logs: ${join(DIR, 'logs')}/; Prometheus metrics: ${metrics}.
Run chithi on it:   TEMPORAL_ADDRESS=${cluster.address} DATABASE_URL=postgres://… npm start
Stop it:            npm run cluster -- --stop`,
  );
}

main().catch((err: unknown) => {
  console.error(`chithi cluster: ${err instanceof ConfigError ? err.text[lang === 'en' ? 'en' : 'vi'] : err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
