/**
 * Cấu hình của chithi, khai báo một lần: mỗi biến môi trường có tên, kiểu, giá trị mặc định và mô
 * tả hai thứ tiếng ở đây, và bộ xử lý (worker), CLI, `npm start`, benchmark đều đọc qua mô-đun
 * này. Bảng cấu hình trong README được sinh từ khai báo (`npx tsx scripts/config-table.ts`).
 * chithi's configuration, declared once: every environment variable's name, type, default and
 * vi/en description is here, and the worker, the CLI, `npm start` and the benchmarks all read
 * through this module, so one environment points all of them at the same cluster and task queue
 * (issue 8: TEMPORAL_TASK_QUEUE used to move the worker only, TLS settings reached the CLI only).
 * README's configuration table is generated from the declaration.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from '@temporalio/client';
import type { NativeConnectionOptions, TLSConfig } from '@temporalio/worker';
import type { Bilingual, Lang } from './cli-spec.js';
import { ROOT } from './root.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Thư mục gốc của dự án (common/root.ts). / The project's root folder (common/root.ts). */
export { ROOT };
/** Mọi trạng thái cục bộ (git bỏ qua). / Every piece of local state (git-ignored). */
export const DATA_DIR = join(ROOT, '.data');
/**
 * `npm start` ghi địa chỉ các dịch vụ nhúng vào đây để `npx chithi` ở cửa sổ khác tìm thấy.
 * Written by `npm start` so a second terminal's `npx chithi` finds the embedded services.
 */
export const ENV_FILE = join(DATA_DIR, 'env.json');

/**
 * Một cấu hình sai (giá trị không hợp lệ, thiếu biến bắt buộc, tệp chứng chỉ không đọc được).
 * A setting that cannot be used (bad value, missing variable, unreadable certificate file).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly text: Bilingual,
    options?: ErrorOptions,
  ) {
    super(text.en, options);
  }
}

type Group = 'temporal' | 'database' | 'server' | 'notify' | 'worker' | 'cli' | 'start' | 'cluster' | 'bench' | 'test';

interface SettingBase {
  group: Group;
  description: Bilingual;
  /** Không bao giờ ghi ra đĩa hay in ra. / Never written to disk nor printed. */
  secret?: boolean;
  /** Giá trị mặc định khi không phải một giá trị cụ thể. / The default when it is not a literal value. */
  defaultText?: Bilingual;
}
interface StringSetting extends SettingBase {
  type: 'string' | 'path' | 'url';
  default?: string;
}
interface IntSetting extends SettingBase {
  type: 'int';
  default?: number;
  min: number;
  max?: number;
}
interface BooleanSetting extends SettingBase {
  type: 'boolean';
  default?: boolean;
}
interface EnumSetting extends SettingBase {
  type: 'enum';
  values: readonly string[];
  default?: string;
}
export type Setting = StringSetting | IntSetting | BooleanSetting | EnumSetting;

const PORT = { type: 'int', min: 1, max: 65_535 } as const;

/**
 * Mọi biến môi trường chithi đọc. / Every environment variable chithi reads.
 * A test fails when code reads a variable not declared here, and when README's table differs.
 */
export const SETTINGS = {
  // ---- Temporal ----
  TEMPORAL_ADDRESS: {
    group: 'temporal',
    type: 'string',
    default: 'localhost:7233',
    description: {
      vi: 'máy chủ Temporal (host:port); không đặt thì `npm start` chạy máy chủ cục bộ và CLI dùng máy chủ đó',
      en: 'the Temporal frontend (host:port); unset, `npm start` runs a local dev server and the CLI uses it',
    },
  },
  TEMPORAL_NAMESPACE: { group: 'temporal', type: 'string', default: 'default', description: { vi: 'namespace Temporal', en: 'the Temporal namespace' } },
  TEMPORAL_TASK_QUEUE: {
    group: 'temporal',
    type: 'string',
    // workflows/types.ts TASK_QUEUE names the same queue; a test keeps the two equal.
    default: 'chithi',
    description: {
      vi: 'hàng đợi worker lắng nghe, và là nơi CLI, `npm start` và benchmark khởi động workflow',
      en: 'the task queue the worker polls and the CLI, `npm start` and the benchmarks start workflows on',
    },
  },
  TEMPORAL_TLS: {
    group: 'temporal',
    type: 'boolean',
    defaultText: { vi: 'bật khi có chứng chỉ, CA, tên máy chủ hoặc khoá API', en: 'on when a certificate, CA, server name or API key is set' },
    description: {
      vi: '`true`: TLS với các CA của hệ thống; `false`: gửi khoá API không qua TLS (qua một proxy cục bộ)',
      en: "`true`: TLS with the system's CAs; `false`: send the API key without TLS (through a local proxy)",
    },
  },
  TEMPORAL_TLS_CERT: {
    group: 'temporal',
    type: 'path',
    description: { vi: 'chứng chỉ máy khách (tệp PEM) cho mTLS; đặt cùng TEMPORAL_TLS_KEY', en: 'client certificate (PEM file) for mTLS; set with TEMPORAL_TLS_KEY' },
  },
  TEMPORAL_TLS_KEY: { group: 'temporal', type: 'path', description: { vi: 'khoá riêng của chứng chỉ máy khách (tệp PEM)', en: "the client certificate's private key (PEM file)" } },
  TEMPORAL_TLS_CA: {
    group: 'temporal',
    type: 'path',
    defaultText: { vi: 'các CA của hệ thống', en: "the system's CAs" },
    description: { vi: 'CA (tệp PEM) đã ký chứng chỉ của máy chủ', en: "the CA (PEM file) that signed the server's certificate" },
  },
  TEMPORAL_TLS_SERVER_NAME: {
    group: 'temporal',
    type: 'string',
    defaultText: { vi: 'tên máy trong TEMPORAL_ADDRESS', en: 'the host of TEMPORAL_ADDRESS' },
    description: { vi: 'tên phải có trong chứng chỉ của máy chủ, khi khác tên trong địa chỉ', en: "the name the server's certificate must carry, when it is not the address's host" },
  },
  TEMPORAL_API_KEY: {
    group: 'temporal',
    type: 'string',
    secret: true,
    description: { vi: 'khoá API (Temporal Cloud), gửi qua TLS', en: 'API key (Temporal Cloud), sent over TLS' },
  },
  // ---- PostgreSQL ----
  DATABASE_URL: {
    group: 'database',
    type: 'url',
    // It may carry a password.
    secret: true,
    defaultText: { vi: 'PGlite nhúng trong `.data/pg` (`npm start`)', en: 'embedded PGlite under `.data/pg` (`npm start`)' },
    description: { vi: 'PostgreSQL (postgres://người-dùng:mật-khẩu@máy:5432/chithi)', en: 'PostgreSQL (postgres://user:pass@host:5432/chithi)' },
  },
  // Two logins rather than one login that `SET ROLE`s down: code running as the owner could
  // `RESET ROLE` back up, so only a connection that never had the owner's rights keeps the audit
  // trail out of the application's reach (README, "Audit trail").
  DATABASE_OWNER_URL: {
    group: 'database',
    type: 'url',
    secret: true,
    defaultText: { vi: 'DATABASE_URL', en: 'DATABASE_URL' },
    description: {
      vi: 'PostgreSQL với vai trò sở hữu các bảng, chỉ để chạy migration; DATABASE_URL khi đó là vai trò ứng dụng (thành viên của chithi_app: không sửa, xoá được nhật ký kiểm toán)',
      en: "PostgreSQL as the tables' owner, for migrations only; DATABASE_URL is then the application's role (a member of chithi_app: cannot alter or delete the audit trail)",
    },
  },
  DATABASE_POOL_MAX: {
    group: 'database',
    type: 'int',
    min: 1,
    default: 10,
    description: { vi: 'số kết nối mỗi tiến trình; 1 cho máy chủ nhúng', en: 'connections per process; 1 for the embedded server' },
  },
  // ---- notices (read by activities/notify/env.ts) ----
  // ---- API server (server/) ----
  PORT: { group: 'server', ...PORT, default: 3000, description: { vi: 'cổng của máy chủ API và cổng thông tin', en: "the API server's (and portal's) port" } },
  CHITHI_HOST: {
    group: 'server',
    type: 'string',
    // Loopback by default: a newcomer's `npm start` is not reachable from the network; production
    // sets 0.0.0.0 behind its reverse proxy.
    default: '127.0.0.1',
    description: { vi: 'địa chỉ máy chủ API lắng nghe', en: 'the address the API server listens on' },
  },
  CHITHI_PUBLIC_URL: {
    group: 'server',
    type: 'url',
    defaultText: { vi: 'http://CHITHI_HOST:PORT', en: 'http://CHITHI_HOST:PORT' },
    description: {
      vi: 'địa chỉ người dùng mở (sau reverse proxy), cũng là địa chỉ các đường dẫn trong e-mail thông báo; cookie phiên chỉ gửi qua HTTPS khi địa chỉ này là https',
      en: 'the address people open (behind a reverse proxy), and the one e-mail notices link to; session cookies are Secure when it is https',
    },
  },
  CHITHI_SESSION_TTL_HOURS: { group: 'server', type: 'int', min: 1, max: 720, default: 12, description: { vi: 'số giờ một phiên đăng nhập còn hiệu lực', en: 'hours a sign-in session lasts' } },
  CHITHI_LOGIN_RATE: {
    group: 'server',
    type: 'int',
    min: 1,
    default: 10,
    description: { vi: 'số lần đăng nhập tối đa mỗi phút từ một địa chỉ', en: 'sign-in attempts allowed per minute from one address' },
  },
  OIDC_ISSUER: {
    group: 'server',
    type: 'url',
    description: {
      vi: 'nhà cung cấp đăng nhập một lần (OpenID Connect, ví dụ Keycloak của tỉnh); không đặt thì chỉ có tài khoản cục bộ',
      en: 'the single sign-on provider (OpenID Connect, e.g. the province\'s Keycloak); unset, local accounts only',
    },
  },
  OIDC_CLIENT_ID: { group: 'server', type: 'string', description: { vi: 'mã ứng dụng của chithi tại nhà cung cấp OIDC', en: "chithi's client id at the OIDC provider" } },
  OIDC_CLIENT_SECRET: { group: 'server', type: 'string', secret: true, description: { vi: 'khoá bí mật của ứng dụng tại nhà cung cấp OIDC', en: "chithi's client secret at the OIDC provider" } },
  OIDC_LOGIN_CLAIM: {
    group: 'server',
    type: 'string',
    default: 'preferred_username',
    description: { vi: 'claim của OIDC là tên đăng nhập của tài khoản chithi', en: "the OIDC claim holding the chithi account's login" },
  },
  CHITHI_API_URL: {
    group: 'cli',
    type: 'url',
    defaultText: { vi: 'máy chủ `npm start` đang chạy', en: 'the server `npm start` runs' },
    description: { vi: 'máy chủ API mà CLI gọi', en: 'the API server the CLI calls' },
  },
  CHITHI_TOKEN: {
    group: 'cli',
    type: 'string',
    secret: true,
    defaultText: { vi: 'mã do `chithi login` lưu', en: 'the token `chithi login` saved' },
    description: { vi: 'mã truy cập API của CLI (`chithi token create`)', en: "the CLI's API token (`chithi token create`)" },
  },
  CHITHI_CREDENTIALS_FILE: {
    group: 'cli',
    type: 'path',
    defaultText: { vi: '`$XDG_CONFIG_HOME/chithi/credentials.json`', en: '`$XDG_CONFIG_HOME/chithi/credentials.json`' },
    description: { vi: 'nơi `chithi login` lưu địa chỉ máy chủ và mã truy cập (quyền 0600)', en: 'where `chithi login` keeps the server address and its token (mode 0600)' },
  },
  XDG_CONFIG_HOME: {
    group: 'cli',
    type: 'path',
    default: '~/.config',
    description: { vi: 'thư mục cấu hình của người dùng (chuẩn XDG)', en: "the user's configuration folder (XDG standard)" },
  },
  SMTP_URL: {
    group: 'notify',
    type: 'url',
    secret: true,
    defaultText: { vi: 'tệp `.eml` trong `MAIL_DIR`', en: '`.eml` files in `MAIL_DIR`' },
    description: { vi: 'gửi e-mail qua SMTP (smtp://người-dùng:mật-khẩu@máy:587)', en: 'send e-mail over SMTP (smtp://user:pass@host:587)' },
  },
  MAIL_FROM: { group: 'notify', type: 'string', defaultText: { vi: 'địa chỉ chithi mặc định', en: "chithi's default sender" }, description: { vi: 'người gửi e-mail', en: 'the e-mail sender' } },
  MAIL_DIR: { group: 'notify', type: 'path', default: '.data/mail/', description: { vi: 'thư mục ghi e-mail khi không có SMTP_URL', en: 'where e-mail is written without SMTP_URL' } },
  MAIL_REDIRECT_TO: {
    group: 'notify',
    type: 'string',
    description: {
      vi: 'mọi e-mail tới một địa chỉ này, ghi rõ người nhận thật: để thử máy chủ thư',
      en: 'every e-mail to this one address, the real recipient named in it: to try a relay',
    },
  },
  CHITHI_MAIL_MODE: {
    group: 'notify',
    type: 'enum',
    values: ['production', 'test'],
    description: {
      vi: '`production` để gửi tới địa chỉ trong danh mục qua `SMTP_URL`; không đặt (và không có `MAIL_REDIRECT_TO`) thì `SMTP_URL` bị từ chối',
      en: "`production` to mail the registries' own addresses over `SMTP_URL`; without it (or `MAIL_REDIRECT_TO`) a set `SMTP_URL` is refused",
    },
  },
  WEBHOOK_URL: { group: 'notify', type: 'url', description: { vi: 'webhook JSON có chữ ký cho mọi đơn vị', en: 'one signed JSON webhook for every unit (`X-Chithi-Signature: t=…,v1=…`, HMAC-SHA256 of `t.body`)' } },
  WEBHOOK_SECRET: { group: 'notify', type: 'string', secret: true, description: { vi: 'khoá ký của WEBHOOK_URL', en: "WEBHOOK_URL's signing secret" } },
  WEBHOOK_UNITS: {
    group: 'notify',
    type: 'string',
    secret: true,
    description: { vi: 'webhook riêng từng đơn vị: JSON `{"<đơn vị>": {"url": …, "secret": …}}`', en: 'per-unit webhooks: JSON `{"<unit>": {"url": …, "secret": …}}`' },
  },
  // ---- worker (worker/main.ts, and the workers `npm start` runs) ----
  CHITHI_METRICS_ADDRESS: {
    group: 'worker',
    type: 'string',
    description: {
      vi: 'địa chỉ host:port worker mở trang số đo Prometheus (`/metrics`: số đo của Temporal SDK và số thông báo đang chờ gửi, đã bỏ); không đặt thì không mở. `npm start` với nhiều worker dùng các cổng kế tiếp',
      en: "host:port where the worker serves Prometheus metrics (`/metrics`: the Temporal SDK's, and notices pending or given up); unset, none. `npm start` with several workers uses the ports after it",
    },
  },
  CHITHI_NOTICE_LEASE_S: {
    group: 'worker',
    type: 'int',
    min: 5,
    default: 300,
    description: {
      vi: 'số giây một thông báo đang gửi thuộc về worker đã nhận nó; worker chết giữa chừng thì sau chừng ấy worker khác gửi lại (cùng Message-ID). Phải lớn hơn lần gửi lâu nhất (SMTP: 2 phút)',
      en: 'seconds a notice being sent belongs to the worker that claimed it; if that worker dies mid-send another sends it after this long (same Message-ID). Must exceed the longest send (SMTP: 2 minutes)',
    },
  },
  CHITHI_NOTICE_RETRY_FIRST_S: {
    group: 'worker',
    type: 'int',
    min: 1,
    default: 5,
    description: { vi: 'chờ bao nhiêu giây trước lần gửi lại đầu tiên khi máy chủ thư hay webhook từ chối; gấp đôi mỗi lần', en: 'seconds before the first retry when the mail relay or webhook refuses; doubled each time' },
  },
  CHITHI_NOTICE_RETRY_MAX_S: {
    group: 'worker',
    type: 'int',
    min: 1,
    default: 1800,
    description: { vi: 'khoảng chờ dài nhất giữa hai lần gửi lại (giây)', en: 'the longest wait between two retries, seconds' },
  },
  CHITHI_NOTICE_GIVE_UP_H: {
    group: 'worker',
    type: 'int',
    min: 1,
    default: 72,
    description: {
      vi: 'số giờ sau đó một thông báo chưa gửi được bị bỏ (ghi `notice-undelivered` vào nhật ký kiểm toán; hộp thư trong ứng dụng vẫn có)',
      en: 'hours after which a notice still not delivered is given up (audited as `notice-undelivered`; the in-app inbox has it regardless)',
    },
  },
  CHITHI_MAX_CACHED_WORKFLOWS: {
    group: 'worker',
    type: 'int',
    min: 0,
    // The SDK's own default (worker-options.js): 600 per GiB of V8 heap beyond 200 MiB; 2,310 with
    // Node's default heap limit on a machine of 2 cores and 24 GB (npm run bench:scale measures it).
    defaultText: { vi: 'mặc định của Temporal SDK: khoảng 600 cho mỗi GiB heap của Node', en: "the Temporal SDK's: about 600 per GiB of Node's heap" },
    description: {
      vi: 'số workflow worker giữ trong bộ nhớ (sticky cache) để không phải phát lại lịch sử ở lần thức sau; bộ nhớ (RSS) của worker tăng theo số này chứ không theo số phiên đang mở. `0`: không giữ (mỗi lần thức phát lại lịch sử)',
      en: "workflows a worker keeps in memory (the sticky cache), so the next wake needs no replay of the history; the worker's memory (RSS) grows with this number, not with the open instances. `0`: none (every wake replays)",
    },
  },
  // ---- CLI ----
  CHITHI_LANG: { group: 'cli', type: 'enum', values: ['vi', 'en'], default: 'vi', description: { vi: 'ngôn ngữ của CLI và `npm start`', en: 'language of the CLI and `npm start`' } },
  CHITHI_CALENDAR_DIR: {
    group: 'cli',
    type: 'path',
    default: 'directives/calendars',
    description: { vi: 'thư mục lịch làm việc khác', en: 'another folder of working-day calendars' },
  },
  CHITHI_PROGRESS: { group: 'cli', type: 'enum', values: ['plain', 'bar'], default: 'bar', description: { vi: '`plain`: tiến độ từng dòng thay cho thanh', en: '`plain`: progress as lines, not a bar' } },
  CI: { group: 'cli', type: 'string', description: { vi: 'do hệ thống CI đặt: tiến độ từng dòng', en: 'set by CI systems: progress as lines' } },
  // ---- npm start ----
  CHITHI_TEMPORAL_PORT: { group: 'start', ...PORT, default: 7233, description: { vi: 'cổng của máy chủ Temporal cục bộ', en: "the local Temporal server's port" } },
  CHITHI_UI_PORT: { group: 'start', ...PORT, default: 8233, description: { vi: 'cổng giao diện web Temporal', en: "the Temporal UI's port" } },
  CHITHI_PG_PORT: { group: 'start', ...PORT, default: 54329, description: { vi: 'cổng PostgreSQL nhúng', en: "the embedded PostgreSQL's port" } },
  CHITHI_UI: { group: 'start', type: 'boolean', default: true, description: { vi: '`0`: không chạy giao diện web Temporal', en: '`0`: no Temporal UI' } },
  CHITHI_LOG_LEVEL: { group: 'start', type: 'enum', values: ['warn', 'info'], default: 'warn', description: { vi: 'mức nhật ký của worker', en: "the worker's log level" } },
  CHITHI_DEMO_ACCOUNTS: {
    group: 'start',
    type: 'boolean',
    default: true,
    description: {
      vi: 'khi chưa có tài khoản nào, `npm start` tạo một tài khoản thử cho mỗi vai trò và in mật khẩu một lần; `0`: không tạo',
      en: 'with no account yet, `npm start` creates one demo account per role and prints their passwords once; `0`: none',
    },
  },
  CHITHI_DEMO_PASSWORD: {
    group: 'start',
    type: 'string',
    secret: true,
    defaultText: { vi: 'sinh ngẫu nhiên cho từng tài khoản', en: 'generated for each account' },
    description: { vi: 'mật khẩu của các tài khoản thử', en: "the demo accounts' password" },
  },
  CHITHI_WORKERS: {
    group: 'start',
    type: 'int',
    min: 1,
    max: 16,
    default: 1,
    description: {
      vi: 'số tiến trình worker `npm start` chạy trên cùng hàng đợi (từ 2 trở lên cần DATABASE_URL: PostgreSQL nhúng chỉ nhận một kết nối)',
      en: 'worker processes `npm start` runs on the same task queue (2 or more need DATABASE_URL: the embedded PostgreSQL takes one connection)',
    },
  },
  PYTHON: { group: 'start', type: 'path', default: 'python3', description: { vi: 'Python cài máy chủ Temporal (`npm run setup`)', en: 'the Python that installs the Temporal binaries (`npm run setup`)' } },
  // ---- npm run cluster ----
  TEMPORAL_DB_URL: {
    group: 'cluster',
    type: 'url',
    secret: true,
    defaultText: { vi: 'TEST_DATABASE_URL', en: 'TEST_DATABASE_URL' },
    description: {
      vi: 'PostgreSQL cho cơ sở dữ liệu riêng của cụm Temporal (postgres://người-dùng:mật-khẩu@máy:5432/postgres; người dùng được tạo cơ sở dữ liệu): `npm run cluster` tạo và nâng cấp lược đồ ở đó',
      en: "PostgreSQL for the Temporal cluster's own databases (postgres://user:pass@host:5432/postgres, a login that may create databases): `npm run cluster` creates and migrates them there",
    },
  },
  TEMPORAL_DB_NAME: {
    group: 'cluster',
    type: 'string',
    default: 'temporal',
    description: { vi: 'tên cơ sở dữ liệu của cụm; lịch sử tìm kiếm (visibility) ở `<tên>_visibility`', en: "the cluster's database; visibility goes in `<name>_visibility`" },
  },
  CHITHI_CLUSTER_PORT: {
    group: 'cluster',
    type: 'int',
    // Room below for the membership ports (−300) and above for the others (+23).
    min: 1324,
    max: 65_500,
    default: 7233,
    description: {
      vi: 'cổng gRPC của frontend; history, matching, worker ở các cổng +1, +2, +3, HTTP ở +10, số đo Prometheus ở +20…+23, membership ở −300…−297',
      en: "the frontend's gRPC port; history, matching and worker at +1, +2, +3, HTTP at +10, Prometheus metrics at +20…+23, membership at −300…−297",
    },
  },
  // ---- npm run bench ----
  BENCH_INSTANCES: { group: 'bench', type: 'int', min: 1, default: 10_000, description: { vi: 'số phiên của benchmark triển khai', en: 'instances in the deploy benchmark' } },
  BENCH_YEAR_BUDGET_S: { group: 'bench', type: 'int', min: 1, default: 180, description: { vi: 'giây tối đa cho benchmark một năm', en: 'wall-time budget of the year benchmark, seconds' } },
  BENCH_REQUESTS: { group: 'bench', type: 'int', min: 1, default: 60, description: { vi: 'số lần tải mỗi trang trong benchmark cổng thông tin', en: 'requests per page in the portal benchmark' } },
  BENCH_SCALE_PARTS: {
    group: 'bench',
    type: 'string',
    default: 'deploy,memory,status,year',
    description: {
      vi: 'phần nào của `npm run bench:scale` chạy (phân cách bằng dấu phẩy): deploy, memory (cần deploy), status, year',
      en: 'which parts of `npm run bench:scale` run (comma-separated): deploy, memory (needs deploy), status, year',
    },
  },
  BENCH_SCALE_INSTANCES: {
    group: 'bench',
    type: 'int',
    min: 100,
    default: 100_000,
    description: {
      vi: 'số phiên của chỉ thị toàn quốc trong `npm run bench:scale` (triển khai, bộ nhớ worker, chithi status); 30 nghĩa vụ, số đơn vị theo đó',
      en: "instances of the national directive in `npm run bench:scale` (deploy, worker memory, chithi status); 30 obligations, the units follow",
    },
  },
  BENCH_SCALE_BARE: {
    group: 'bench',
    type: 'int',
    min: 100,
    default: 20_000,
    description: {
      vi: 'số workflow rỗng khởi động làm mốc so sánh của phần triển khai (nửa trước, nửa sau)',
      en: "bare empty-workflow starts, the deploy part's baseline (half before the deploy, half after)",
    },
  },
  BENCH_SCALE_YEAR_INSTANCES: {
    group: 'bench',
    type: 'int',
    min: 30,
    default: 10_000,
    description: { vi: 'số phiên chạy một năm thời gian ảo trong `npm run bench:scale`', en: 'instances living a year of virtual time in `npm run bench:scale`' },
  },
  BENCH_SCALE_CACHE: {
    group: 'bench',
    type: 'string',
    // About 550 KiB a cached workflow (measured): 10,000 would pass Node's default 4 GiB heap.
    default: '1000,3000',
    description: {
      vi: 'hai giá trị CHITHI_MAX_CACHED_WORKFLOWS mà phần bộ nhớ worker đo',
      en: 'the two CHITHI_MAX_CACHED_WORKFLOWS values the worker memory part measures',
    },
  },
  BENCH_PROFILE: { group: 'bench', type: 'boolean', default: false, description: { vi: 'in thời gian từng activity', en: 'print time per activity' } },
  BENCH_DB_FILE: { group: 'bench', type: 'boolean', default: false, description: { vi: 'máy chủ Temporal ghi ra tệp thay vì bộ nhớ', en: 'the Temporal server keeps its state in a file, not in memory' } },
  BENCH_EMBEDDED_PG: { group: 'bench', type: 'boolean', default: false, description: { vi: 'dùng PGlite nhúng dù máy có PostgreSQL', en: "embedded PGlite even when the machine's PostgreSQL is there" } },
  PG_BINDIR: { group: 'bench', type: 'path', defaultText: { vi: 'tìm trong /usr/lib/postgresql', en: 'searched in /usr/lib/postgresql' }, description: { vi: 'thư mục chứa initdb và postgres', en: 'folder of initdb and postgres' } },
  // ---- npm test ----
  TEST_DATABASE_URL: {
    group: 'test',
    type: 'url',
    secret: true,
    defaultText: { vi: 'PGlite nhúng', en: 'embedded PGlite' },
    description: { vi: 'URL quản trị của PostgreSQL cho kiểm thử (mỗi tệp một cơ sở dữ liệu mới)', en: 'admin URL of a PostgreSQL for the tests (a fresh database per test file)' },
  },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

/** The queue when TEMPORAL_TASK_QUEUE is not set. / Hàng đợi khi không đặt TEMPORAL_TASK_QUEUE. */
export const DEFAULT_TASK_QUEUE: string = SETTINGS.TEMPORAL_TASK_QUEUE.default;

type ValueOf<S> = S extends { type: 'int' } ? number : S extends { type: 'boolean' } ? boolean : string;
type Value<N extends SettingName> = ValueOf<(typeof SETTINGS)[N]>;
type WithDefault<N extends SettingName> = (typeof SETTINGS)[N] extends { default: unknown } ? Value<N> : Value<N> | undefined;

function invalid(name: string, got: string, vi: string, en: string): ConfigError {
  return new ConfigError({ vi: `${name} ${vi} (nhận được: "${got}")`, en: `${name} ${en} (got "${got}")` });
}

/**
 * Giá trị đã kiểm tra của một biến; chuỗi rỗng coi như không đặt.
 * The checked value of one variable, or its default; an empty string counts as unset.
 */
export function setting<N extends SettingName>(env: Env, name: N): WithDefault<N> {
  const spec: Setting = SETTINGS[name];
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return spec.default as WithDefault<N>;
  switch (spec.type) {
    case 'int': {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < spec.min || (spec.max !== undefined && n > spec.max)) {
        const range = spec.max !== undefined ? `${spec.min}–${spec.max}` : `≥ ${spec.min}`;
        throw invalid(name, raw, `phải là số nguyên ${range}`, `must be a whole number ${range}`);
      }
      return n as WithDefault<N>;
    }
    case 'boolean': {
      if (/^(1|true|yes|on)$/i.test(raw)) return true as WithDefault<N>;
      if (/^(0|false|no|off)$/i.test(raw)) return false as WithDefault<N>;
      throw invalid(name, raw, 'là true hoặc false (1 hoặc 0)', 'is true or false (1 or 0)');
    }
    case 'enum':
      if (!spec.values.includes(raw)) throw invalid(name, raw, `là một trong: ${spec.values.join(', ')}`, `is one of: ${spec.values.join(', ')}`);
      return raw as WithDefault<N>;
    default:
      return raw as WithDefault<N>;
  }
}

// ---------------------------------------------------------------- Temporal

export interface TlsSettings {
  certPath?: string;
  keyPath?: string;
  caPath?: string;
  serverName?: string;
}

/** Where the Temporal cluster is and how to reach it: one value for worker, CLI, npm start and benchmarks. */
export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  /** Absent: plaintext (the dev server). `{}`: TLS with the system's CAs. */
  tls?: TlsSettings;
  apiKey?: string;
}

export function temporalSettings(env: Env): TemporalSettings {
  const certPath = setting(env, 'TEMPORAL_TLS_CERT');
  const keyPath = setting(env, 'TEMPORAL_TLS_KEY');
  const caPath = setting(env, 'TEMPORAL_TLS_CA');
  const serverName = setting(env, 'TEMPORAL_TLS_SERVER_NAME');
  const apiKey = setting(env, 'TEMPORAL_API_KEY');
  const flag = setting(env, 'TEMPORAL_TLS');
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new ConfigError({
      vi: 'TEMPORAL_TLS_CERT và TEMPORAL_TLS_KEY phải được đặt cùng nhau (chứng chỉ máy khách và khoá của nó).',
      en: 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together (the client certificate and its key).',
    });
  }
  const material = certPath !== undefined || caPath !== undefined || serverName !== undefined;
  if (flag === false && material) {
    throw new ConfigError({
      vi: 'TEMPORAL_TLS=false nhưng TEMPORAL_TLS_CERT/TEMPORAL_TLS_CA/TEMPORAL_TLS_SERVER_NAME đã đặt: bỏ một trong hai.',
      en: 'TEMPORAL_TLS=false but TEMPORAL_TLS_CERT/TEMPORAL_TLS_CA/TEMPORAL_TLS_SERVER_NAME is set: drop one or the other.',
    });
  }
  const settings: TemporalSettings = {
    address: setting(env, 'TEMPORAL_ADDRESS'),
    namespace: setting(env, 'TEMPORAL_NAMESPACE'),
    taskQueue: setting(env, 'TEMPORAL_TASK_QUEUE'),
  };
  // An API key is a bearer secret: it goes over TLS unless TEMPORAL_TLS=false says otherwise.
  if (flag ?? (material || apiKey !== undefined)) {
    settings.tls = {
      ...(certPath !== undefined && { certPath }),
      ...(keyPath !== undefined && { keyPath }),
      ...(caPath !== undefined && { caPath }),
      ...(serverName !== undefined && { serverName }),
    };
  }
  if (apiKey !== undefined) settings.apiKey = apiKey;
  return settings;
}

/** True when the settings ask for TLS or an API key: a real cluster, not the local dev server. */
export function wantsRemoteCluster(env: Env): boolean {
  const t = temporalSettings(env);
  return t.tls !== undefined || t.apiKey !== undefined;
}

function readPem(name: SettingName, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(
      { vi: `Không đọc được tệp ${name} (${path}): ${(err as Error).message}`, en: `Cannot read the ${name} file (${path}): ${(err as Error).message}` },
      { cause: err },
    );
  }
}

/** The SDK's TLS option from the settings, files read now so a missing file is named before any network call. */
export function tlsConfig(t: TemporalSettings): TLSConfig | false {
  if (!t.tls) return false;
  const { certPath, keyPath, caPath, serverName } = t.tls;
  return {
    ...(certPath && keyPath && { clientCertPair: { crt: readPem('TEMPORAL_TLS_CERT', certPath), key: readPem('TEMPORAL_TLS_KEY', keyPath) } }),
    ...(caPath && { serverRootCACertificate: readPem('TEMPORAL_TLS_CA', caPath) }),
    ...(serverName && { serverNameOverride: serverName }),
  };
}

/** What the worker (`NativeConnection.connect`) gets. */
export function nativeConnectionOptions(t: TemporalSettings): NativeConnectionOptions {
  return { address: t.address, tls: tlsConfig(t), ...(t.apiKey !== undefined && { apiKey: t.apiKey }) };
}

/** What the CLI (`Connection.connect`) gets: the same address, TLS and API key as the worker. */
export function clientConnectionOptions(t: TemporalSettings, connectTimeout = '5s'): ConnectionOptions {
  return { address: t.address, tls: tlsConfig(t), ...(t.apiKey !== undefined && { apiKey: t.apiKey }), connectTimeout };
}

/**
 * A local dev server the process started itself (`npm start`, the benchmarks): plaintext, its own
 * address, but the configured namespace and task queue.
 */
export function localTemporalSettings(t: TemporalSettings, address: string): TemporalSettings {
  return { address, namespace: t.namespace, taskQueue: t.taskQueue };
}

// ---------------------------------------------------------------- PostgreSQL

export interface DatabaseSettings {
  url?: string;
  /** DATABASE_OWNER_URL when set: who runs migrations (migrateAsOwner). */
  ownerUrl?: string;
  /** Absent: the reader's own default (10, or 1 for the embedded server). */
  poolMax?: number;
}

export function databaseSettings(env: Env): DatabaseSettings {
  const url = setting(env, 'DATABASE_URL');
  const ownerUrl = setting(env, 'DATABASE_OWNER_URL');
  const raw = env.DATABASE_POOL_MAX?.trim();
  return { ...(url !== undefined && { url }), ...(ownerUrl !== undefined && { ownerUrl }), ...(raw ? { poolMax: setting(env, 'DATABASE_POOL_MAX') } : {}) };
}

// ---------------------------------------------------------------- worker

/** How a worker's outbox dispatcher retries and shares notices (activities/notify/delivery.ts). */
export interface DeliverySettings {
  claimLeaseMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  giveUpAfterMs: number;
}

export function deliverySettings(env: Env): DeliverySettings {
  return {
    claimLeaseMs: setting(env, 'CHITHI_NOTICE_LEASE_S') * 1000,
    initialBackoffMs: setting(env, 'CHITHI_NOTICE_RETRY_FIRST_S') * 1000,
    maxBackoffMs: setting(env, 'CHITHI_NOTICE_RETRY_MAX_S') * 1000,
    giveUpAfterMs: setting(env, 'CHITHI_NOTICE_GIVE_UP_H') * 3_600_000,
  };
}

/**
 * `host:port` của trang số đo Prometheus, kiểm tra trước khi worker khởi động.
 * The Prometheus endpoint's `host:port`, checked before the worker starts; `offset` moves the
 * port, for the second and later workers `npm start` runs on one machine.
 */
export function metricsAddress(env: Env, offset = 0): string | undefined {
  const raw = setting(env, 'CHITHI_METRICS_ADDRESS');
  if (raw === undefined) return undefined;
  const m = /^(.+):(\d{1,5})$/.exec(raw);
  const port = m ? Number(m[2]) + offset : NaN;
  if (!m || port < 1 || port > 65_535) throw invalid('CHITHI_METRICS_ADDRESS', raw, 'là host:port, ví dụ 127.0.0.1:9464', 'is host:port, e.g. 127.0.0.1:9464');
  return `${m[1]}:${port}`;
}

// ---------------------------------------------------------------- npm run cluster

/** Where `npm run cluster` keeps the Temporal cluster's databases and which ports it takes. */
export interface ClusterSettings {
  /** Admin URL of the PostgreSQL for Temporal's databases. */
  dbUrl: string;
  dbName: string;
  visibilityDbName: string;
  /** The frontend's gRPC port; the others follow from it (CHITHI_CLUSTER_PORT). */
  port: number;
}

export function clusterSettings(env: Env): ClusterSettings {
  const dbUrl = setting(env, 'TEMPORAL_DB_URL') ?? setting(env, 'TEST_DATABASE_URL');
  if (dbUrl === undefined) {
    throw new ConfigError({
      vi: 'Chưa đặt TEMPORAL_DB_URL: cụm Temporal cần một PostgreSQL (postgres://người-dùng:mật-khẩu@127.0.0.1:5432/postgres, người dùng được tạo cơ sở dữ liệu).',
      en: 'TEMPORAL_DB_URL is not set: the Temporal cluster needs a PostgreSQL (postgres://user:pass@127.0.0.1:5432/postgres, a login that may create databases).',
    });
  }
  const dbName = setting(env, 'TEMPORAL_DB_NAME');
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(dbName)) throw invalid('TEMPORAL_DB_NAME', dbName, 'là chữ thường, số và _', 'is lower-case letters, digits and _');
  return { dbUrl, dbName, visibilityDbName: `${dbName}_visibility`, port: setting(env, 'CHITHI_CLUSTER_PORT') };
}

// ---------------------------------------------------------------- API server

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** The claim that names the chithi account (accounts are provisioned, never created by sign-in). */
  loginClaim: string;
}

/** What the API server (server/) listens on and how it signs people in. */
export interface ServerSettings {
  host: string;
  port: number;
  /** Where people reach it; its scheme decides whether cookies are Secure. */
  publicUrl: string;
  secureCookies: boolean;
  sessionTtlHours: number;
  loginRatePerMinute: number;
  oidc?: OidcSettings;
}

/**
 * Địa chỉ người dùng mở cổng thông tin: máy chủ dùng cho cookie, worker dùng cho đường dẫn trong
 * thư; một hàm để hai bên không bao giờ lệch nhau.
 * The address people open the portal at: the server's cookies and the worker's links in e-mail
 * come from this one function, so the two never disagree (no CHITHI_PUBLIC_URL: the address the
 * server listens on).
 */
export function publicUrl(env: Env): string {
  const host = setting(env, 'CHITHI_HOST');
  const port = setting(env, 'PORT');
  const url = (setting(env, 'CHITHI_PUBLIC_URL') ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  try {
    new URL(url);
  } catch (err) {
    throw new ConfigError({ vi: `CHITHI_PUBLIC_URL không phải một URL (nhận được: "${url}")`, en: `CHITHI_PUBLIC_URL is not a URL (got "${url}")` }, { cause: err });
  }
  return url;
}

export function serverSettings(env: Env): ServerSettings {
  const host = setting(env, 'CHITHI_HOST');
  const port = setting(env, 'PORT');
  const url = publicUrl(env);
  const out: ServerSettings = {
    host,
    port,
    publicUrl: url,
    secureCookies: new URL(url).protocol === 'https:',
    sessionTtlHours: setting(env, 'CHITHI_SESSION_TTL_HOURS'),
    loginRatePerMinute: setting(env, 'CHITHI_LOGIN_RATE'),
  };
  const issuer = setting(env, 'OIDC_ISSUER');
  const clientId = setting(env, 'OIDC_CLIENT_ID');
  if (issuer !== undefined || clientId !== undefined) {
    if (issuer === undefined || clientId === undefined) {
      throw new ConfigError({
        vi: 'Đăng nhập một lần cần cả OIDC_ISSUER và OIDC_CLIENT_ID; đặt cả hai, hoặc bỏ cả hai để chỉ dùng tài khoản cục bộ.',
        en: 'Single sign-on needs both OIDC_ISSUER and OIDC_CLIENT_ID; set both, or neither for local accounts only.',
      });
    }
    const secret = setting(env, 'OIDC_CLIENT_SECRET');
    out.oidc = { issuer, clientId, loginClaim: setting(env, 'OIDC_LOGIN_CLAIM'), ...(secret !== undefined && { clientSecret: secret }) };
  }
  return out;
}

/** Where the CLI sends its requests, and with which token (undefined: `chithi login`'s saved one, if any). */
export interface ApiSettings {
  url: string;
  token?: string;
}

export function apiSettings(env: Env): ApiSettings {
  const token = setting(env, 'CHITHI_TOKEN');
  const server = serverSettings(env);
  return { url: (setting(env, 'CHITHI_API_URL') ?? server.publicUrl).replace(/\/+$/, ''), ...(token !== undefined && { token }) };
}

/** The file `chithi login` writes and every CLI call to the API reads (unless CHITHI_TOKEN is set). */
export function credentialsFile(env: Env): string {
  const explicit = setting(env, 'CHITHI_CREDENTIALS_FILE');
  if (explicit !== undefined) return explicit;
  const base = setting(env, 'XDG_CONFIG_HOME');
  // The default is written `~/.config` for the README; the shell expands `~` in a set value, not here.
  return join(base.startsWith('~/') ? join(homedir(), base.slice(2)) : base, 'chithi', 'credentials.json');
}

// ---------------------------------------------------------------- the whole

export type Source = 'env' | 'env.json' | 'default';

export interface ChithiConfig {
  temporal: TemporalSettings;
  database: DatabaseSettings;
  lang: Lang;
  /** Which source gave the Temporal address, for error messages. */
  source: Source;
}

/** The variables `npm start` may write to ENV_FILE: never a secret. */
const SAVED_TEMPORAL = ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'TEMPORAL_TLS', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA', 'TEMPORAL_TLS_SERVER_NAME'] as const;
const SAVED_DATABASE = ['DATABASE_URL', 'DATABASE_POOL_MAX'] as const;
/** The API server `npm start` runs, for the CLI of another terminal. */
const SAVED_API = ['CHITHI_API_URL'] as const;

function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) throw new TypeError('not a JSON object');
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch (err) {
    throw new ConfigError(
      { vi: `Tệp ${path} bị hỏng (${(err as Error).message}); xoá nó rồi chạy lại npm start.`, en: `${path} is corrupt (${(err as Error).message}); delete it and run npm start again.` },
      { cause: err },
    );
  }
}

/**
 * Gộp môi trường với tệp `npm start` ghi: tệp chỉ lấp chỗ trống, theo nhóm.
 * The environment, with the file `npm start` writes filling gaps, group by group: its Temporal
 * values only when TEMPORAL_ADDRESS is not set (a TLS path must not be paired with another
 * cluster), its database values only when DATABASE_URL is not set (DATABASE_POOL_MAX=1 belongs to
 * the embedded server). An explicit environment always wins, so CI and production never talk to a
 * developer's local services by accident.
 */
export function mergeEnvFile(env: Env, envFile: string | undefined): { env: Env; source: Source } {
  const hasAddress = Boolean(env.TEMPORAL_ADDRESS?.trim());
  const hasDatabase = Boolean(env.DATABASE_URL?.trim());
  const hasApi = Boolean(env.CHITHI_API_URL?.trim());
  const file = envFile && !(hasAddress && hasDatabase && hasApi) ? readEnvFile(envFile) : {};
  const merged: Record<string, string | undefined> = { ...env };
  const fill = (names: readonly string[]) => {
    for (const n of names) if (!merged[n]?.trim() && file[n] !== undefined) merged[n] = file[n];
  };
  if (!hasAddress) fill(SAVED_TEMPORAL);
  if (!hasDatabase) fill(SAVED_DATABASE);
  fill(SAVED_API);
  return { env: merged, source: hasAddress ? 'env' : file.TEMPORAL_ADDRESS ? 'env.json' : 'default' };
}

/** The variables `npm start` saves for the CLI of another terminal: what it runs, never a secret. */
export function envFileContents(env: Env, opts: { embeddedDatabase: boolean }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of [...SAVED_TEMPORAL, ...(opts.embeddedDatabase ? SAVED_DATABASE : []), ...SAVED_API]) {
    const v = env[n]?.trim();
    if (v) out[n] = v;
  }
  return out;
}

/** Everything worker, CLI, npm start and benchmarks need, from one environment (and the file `npm start` wrote). */
export function loadConfig(env: Env, opts: { envFile?: string } = {}): ChithiConfig {
  const { env: merged, source } = mergeEnvFile(env, opts.envFile);
  return { temporal: temporalSettings(merged), database: databaseSettings(merged), lang: setting(merged, 'CHITHI_LANG') as Lang, source };
}

// ---------------------------------------------------------------- README

const GROUP_LABEL: Record<Group, string> = {
  temporal: 'Temporal',
  database: 'PostgreSQL',
  server: 'API server',
  notify: 'notices',
  worker: 'worker',
  cli: 'CLI',
  start: '`npm start`',
  cluster: '`npm run cluster`',
  bench: '`npm run bench`',
  test: '`npm test`',
};

function defaultCell(s: Setting): string {
  if (s.defaultText) return s.defaultText.en;
  if (s.default === undefined) return 'none';
  return `\`${String(s.default)}\``;
}

/** README's configuration table, generated from SETTINGS (a test checks README against it). */
export function configTable(): string {
  const rows = Object.entries(SETTINGS as Record<string, Setting>).map(
    ([name, s]) => `| ${GROUP_LABEL[s.group]} | \`${name}\` | ${s.description.en} | ${defaultCell(s)} |`,
  );
  return ['| for | variable | meaning | default |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}
