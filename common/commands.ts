/**
 * Cờ của từng lệnh `chithi`, khai báo một lần (chỉ dữ liệu). client/commands/*.ts phân tích đối số
 * và sinh help từ đây; mẫu thông báo trong activities/ sinh dòng lệnh từ đây, nên dòng lệnh trong
 * thư luôn đúng cú pháp mà CLI nhận.
 * Each `chithi` command's flags, declared once (data only). client/commands/*.ts parse and generate
 * their help from here; the notice templates in activities/ render command lines from here, so a
 * line in a letter always has the syntax the CLI accepts.
 */
import { defineCommand, defineFlags, renderCommandLine, type Bilingual, type CommandArgs, type CommandSpec } from './cli-spec.js';

const ID: Bilingual = { vi: '<mã>', en: '<id>' };
const DATE: Bilingual = { vi: 'YYYY-MM-DD', en: 'YYYY-MM-DD' };
const REGISTRY: Bilingual = { vi: '<danh-mục>', en: '<registry>' };

/** Các cờ chỉ ra một phiên (chỉ thị, nghĩa vụ, đơn vị, sự kiện): submit, review, extend. */
export const REF_FLAGS = defineFlags({
  directive: { type: 'string', value: ID, required: true, description: { vi: 'mã chỉ thị', en: 'directive id' } },
  obligation: { type: 'string', value: ID, required: true, description: { vi: 'mã nghĩa vụ', en: 'obligation id' } },
  unit: { type: 'string', value: ID, required: true, description: { vi: 'mã đơn vị chủ trì', en: 'assignee unit id' } },
  event: {
    type: 'string',
    value: ID,
    description: {
      vi: 'mã sự kiện (--id của report-event); cần khi đơn vị có nhiều sự kiện đang mở',
      en: 'event id (report-event --id); needed when the unit has several open events',
    },
  },
});

/**
 * Mã của một thao tác (nộp, duyệt, đề nghị/quyết định gia hạn): thao tác lưu rồi mới báo cho phiên, nên
 * khi báo không được, chạy lại với cùng mã sẽ báo lại mà không lưu thêm bản nào.
 * The id of one action (submit, review, an extension request or decision): the action is stored,
 * then the instance is told; when telling it failed, running it again with the same id tells it
 * again and stores nothing twice.
 */
const ACTION_ID = {
  type: 'string',
  value: { vi: '<uuid>', en: '<uuid>' },
  description: {
    vi: 'mã của thao tác (UUID; mặc định: tự sinh). Chạy lại cùng lệnh với mã đã in để gửi lại một thao tác đã lưu mà chưa gửi được',
    en: 'the action\'s id (a UUID; default: generated). Run the same command again with the printed id to send an action that was stored but not sent',
  },
} as const;

const AS_OF_UNITS = { type: 'string', value: DATE, description: { vi: 'ngày áp dụng kế thừa/giải thể đơn vị (mặc định: hôm nay)', en: 'date at which unit succession/dissolution applies (default: today)' } } as const;
const JSON_OUT = { type: 'boolean', description: { vi: 'in JSON ra stdout (cho máy đọc)', en: 'print JSON on stdout (machine-readable)' } } as const;

export const COMMANDS = {
  validate: defineCommand({
    name: 'validate',
    summary: { vi: 'Kiểm tra tệp chỉ thị hoặc danh mục đơn vị', en: 'Check directive or unit registry files' },
    positional: { name: { vi: '<tệp>', en: '<file>' }, many: true },
    flags: {
      'as-of': AS_OF_UNITS,
      units: { type: 'string', value: REGISTRY, description: { vi: 'danh mục đơn vị thay cho metadata.registry của chỉ thị', en: "unit registry to use instead of the directive's metadata.registry" } },
    },
  }),
  compile: defineCommand({
    name: 'compile',
    summary: { vi: 'Biên dịch chỉ thị thành kế hoạch thực thi', en: 'Compile a directive into an execution plan' },
    positional: { name: { vi: '<tệp>', en: '<file>' } },
    flags: {
      units: { type: 'string', value: REGISTRY, description: { vi: 'danh mục đơn vị thay cho metadata.registry', en: 'unit registry to use instead of metadata.registry' } },
      'as-of': AS_OF_UNITS,
      json: { type: 'boolean', description: { vi: 'in kế hoạch (JSON) ra stdout', en: 'print the plan (JSON) on stdout' } },
    },
  }),
  plan: defineCommand({
    name: 'plan',
    summary: { vi: 'Xem một đơn vị phải làm gì theo chỉ thị', en: 'Show what one unit must do under a directive' },
    positional: { name: { vi: '<tệp>', en: '<file>' } },
    flags: {
      unit: { type: 'string', value: ID, required: true, description: { vi: 'mã đơn vị (mã cũ được đổi sang đơn vị kế thừa)', en: 'unit id (a former id is followed to its successor)' } },
      'as-of': AS_OF_UNITS,
      units: { type: 'string', value: REGISTRY, description: { vi: 'danh mục đơn vị thay cho metadata.registry', en: 'unit registry to use instead of metadata.registry' } },
      json: { type: 'boolean', description: { vi: 'in kết quả (JSON) ra stdout', en: 'print the result (JSON) on stdout' } },
    },
  }),
  registry: defineCommand({
    name: 'registry',
    summary: { vi: 'Danh mục đơn vị: tạo từ một bảng tính CSV, gộp các tệp include thành một', en: 'Unit registries: make one from a CSV spreadsheet, merge included files into one' },
    positional: { name: { vi: 'import <tệp.csv> | merge <tệp.yaml>', en: 'import <file.csv> | merge <file.yaml>' }, count: 2 },
    flags: {
      out: { type: 'string', value: { vi: '<tệp.yaml>', en: '<file.yaml>' }, description: { vi: 'ghi danh mục vào tệp này (mặc định: in ra stdout)', en: 'write the registry to this file (default: print it on stdout)' } },
      id: { type: 'string', value: ID, description: { vi: 'import: metadata.id của danh mục (mặc định: từ tên tệp CSV)', en: "import: the registry's metadata.id (default: from the CSV file's name)" } },
    },
  }),
  deploy: defineCommand({
    name: 'deploy',
    summary: { vi: 'Triển khai chỉ thị: khởi động các phiên thực hiện nghĩa vụ', en: 'Deploy a directive: start its obligation instances' },
    positional: { name: { vi: '<tệp.yaml>', en: '<file.yaml>' } },
    flags: {
      'as-of': { type: 'string', value: DATE, description: { vi: 'ngày tra cứu danh mục đơn vị (mặc định: hôm nay)', en: 'date the unit registry is resolved at (default: today)' } },
      registry: { type: 'string', value: { vi: '<tệp>', en: '<file>' }, description: { vi: 'danh mục đơn vị khác với tệp ghi trong chỉ thị', en: 'a unit registry other than the one the directive names' } },
      'dry-run': { type: 'boolean', description: { vi: 'không triển khai: chỉ nói việc triển khai sẽ thay đổi gì so với bản đang chạy', en: 'deploy nothing: say what deploying would change against the running version' } },
      json: JSON_OUT,
    },
  }),
  diff: defineCommand({
    name: 'diff',
    summary: { vi: 'So hai bản của một chỉ thị: những gì bản mới thay đổi', en: 'Compare two versions of a directive: what the new one changes' },
    positional: { name: { vi: '<bản-cũ.yaml> <bản-mới.yaml>', en: '<old.yaml> <new.yaml>' }, count: 2 },
    flags: {
      'as-of': AS_OF_UNITS,
      json: JSON_OUT,
    },
  }),
  rehearse: defineCommand({
    name: 'rehearse',
    summary: { vi: 'Diễn tập một chỉ thị trước khi triển khai: ai nhận thông báo gì, khi nào', en: 'Rehearse a directive before deploying it: who is told what, and when' },
    positional: { name: { vi: '<tệp.yaml>', en: '<file.yaml>' } },
    flags: {
      from: { type: 'string', value: DATE, description: { vi: 'ngày bắt đầu, triển khai lúc 09:00 (mặc định: ngày ban hành)', en: 'first day, deployed at 09:00 (default: the issue date)' } },
      to: { type: 'string', value: DATE, description: { vi: 'ngày cuối, tính cả ngày đó (mặc định: xem bên dưới)', en: 'last day, included (default: see below)' } },
      unit: { type: 'string', value: ID, description: { vi: 'chỉ thông báo gửi tới hoặc nói về đơn vị này', en: 'only the notices sent to or about this unit' } },
      assume: {
        type: 'string',
        value: { vi: 'silent|on-time|late', en: 'silent|on-time|late' },
        description: { vi: 'các đơn vị làm gì (mặc định silent; xem bên dưới)', en: 'what the units do (default silent; see below)' },
      },
      engine: {
        type: 'string',
        value: { vi: 'simulation|temporal', en: 'simulation|temporal' },
        description: { vi: 'chạy workflow bằng gì (mặc định simulation; xem bên dưới)', en: 'what runs the workflows (default simulation; see below)' },
      },
      json: JSON_OUT,
      csv: { type: 'boolean', description: { vi: 'in danh sách thông báo dạng CSV ra stdout', en: 'print the notices as CSV on stdout' } },
    },
  }),
  status: defineCommand({
    name: 'status',
    summary: { vi: 'Xem tình hình thực hiện một chỉ thị', en: 'Show how a directive is being carried out' },
    positional: { name: { vi: '<mã-chỉ-thị>', en: '<directive-id>' } },
    flags: {
      unit: { type: 'string', value: ID, description: { vi: 'chỉ một đơn vị', en: 'one unit only' } },
      overdue: { type: 'boolean', description: { vi: 'chỉ những nghĩa vụ quá hạn chưa hoàn thành', en: 'only overdue, not completed' } },
      'as-of': { type: 'string', value: DATE, description: { vi: 'ngày được coi là hôm nay khi xét quá hạn (mặc định: hôm nay)', en: 'the date taken as today when judging overdue (default: today)' } },
      status: { type: 'string', value: { vi: '<trạng-thái>', en: '<status>' }, description: { vi: 'chỉ một trạng thái (danh sách bên dưới)', en: 'one status only (listed below)' } },
      all: {
        type: 'boolean',
        description: {
          vi: 'in mọi dòng cả khi có hơn 1.000 (mặc định khi đó: bảng tóm tắt theo nghĩa vụ)',
          en: 'print every row even beyond 1,000 (the default then: a summary per obligation)',
        },
      },
      json: JSON_OUT,
    },
  }),
  submit: defineCommand({
    name: 'submit',
    summary: { vi: 'Nộp minh chứng hoàn thành một nghĩa vụ', en: 'Submit evidence that an obligation is done' },
    flags: {
      ...REF_FLAGS,
      file: {
        type: 'string',
        multiple: true,
        value: { vi: '[<tên>=]<đường-dẫn>', en: '[<name>=]<path>' },
        description: { vi: 'tài liệu; ghi <tên>= khi có nhiều loại tài liệu', en: 'a document; prefix <name>= when several are asked for' },
      },
      field: {
        type: 'string',
        multiple: true,
        value: { vi: '<tên>=<giá-trị>', en: '<name>=<value>' },
        description: { vi: 'trường, đường dẫn (link) hoặc xác nhận (<tên>=yes)', en: 'a field, link or attestation (<name>=yes)' },
      },
      note: { type: 'string', value: { vi: '<ghi chú>', en: '<text>' }, description: { vi: 'ghi chú gửi người duyệt', en: 'a note for the reviewer' } },
      id: ACTION_ID,
    },
  }),
  review: defineCommand({
    name: 'review',
    summary: { vi: 'Duyệt (chấp nhận / từ chối) minh chứng đã nộp', en: 'Accept or reject submitted evidence' },
    positional: { choices: ['accept', 'reject'] },
    flags: {
      ...REF_FLAGS,
      comment: { type: 'string', value: { vi: '<ý kiến>', en: '<text>' }, description: { vi: 'ý kiến (lý do khi từ chối)', en: 'comment (the reason, when rejecting)' } },
      id: ACTION_ID,
    },
  }),
  approvals: defineCommand({
    name: 'approvals',
    summary: { vi: 'Xem minh chứng của đơn vị đang chờ lãnh đạo đơn vị phê duyệt', en: "Show the unit's submissions awaiting its unit head's approval" },
    flags: {
      unit: { type: 'string', value: ID, description: { vi: 'mã đơn vị (mặc định: đơn vị của tài khoản đã đăng nhập)', en: "unit id (default: the signed-in account's unit)" } },
      json: JSON_OUT,
    },
  }),
  approve: defineCommand({
    name: 'approve',
    summary: { vi: 'Lãnh đạo đơn vị phê duyệt (hoặc trả lại) minh chứng trước khi gửi đi', en: 'As unit head, approve (or return) a submission before it is sent out' },
    positional: { name: { vi: '<mã-minh-chứng>', en: '<submission-id>' } },
    flags: {
      return: { type: 'boolean', description: { vi: 'trả lại cho cán bộ thay vì phê duyệt (cần --comment)', en: 'return it to the officer instead of approving it (needs --comment)' } },
      comment: { type: 'string', value: { vi: '<ý kiến>', en: '<text>' }, description: { vi: 'ý kiến (lý do khi trả lại)', en: 'comment (the reason, when returning)' } },
    },
  }),
  extend: defineCommand({
    name: 'extend',
    summary: { vi: 'Đề nghị / quyết định gia hạn', en: 'Request or decide a deadline extension' },
    positional: { choices: ['request', 'approve', 'reject'] },
    flags: {
      ...REF_FLAGS,
      until: { type: 'string', value: DATE, description: { vi: 'hạn mới (request: bắt buộc; approve: có thể cho hạn khác với đề nghị)', en: 'new due date (request: required; approve: may differ from the request)' } },
      reason: { type: 'string', value: { vi: '<lý do>', en: '<text>' }, description: { vi: 'lý do đề nghị gia hạn (request: bắt buộc)', en: 'why the extension is needed (request: required)' } },
      request: { type: 'string', value: ID, description: { vi: 'mã đề nghị (mặc định: đề nghị gần nhất đang chờ của chu kỳ hiện tại)', en: 'request id (default: the latest pending one of the current cycle)' } },
      comment: { type: 'string', value: { vi: '<ý kiến>', en: '<text>' }, description: { vi: 'ý kiến của người quyết định', en: "the decider's comment" } },
      id: ACTION_ID,
    },
  }),
  'report-event': defineCommand({
    name: 'report-event',
    summary: { vi: 'Báo cáo một sự kiện (ví dụ sự cố) để mở các nghĩa vụ theo sự kiện', en: 'Report an event (e.g. an incident), opening its obligations' },
    flags: {
      directive: REF_FLAGS.directive,
      event: { type: 'string', value: { vi: '<loại>', en: '<type>' }, required: true, description: { vi: 'loại sự kiện (ví dụ attack-detected)', en: 'event type (e.g. attack-detected)' } },
      unit: { type: 'string', value: ID, required: true, description: { vi: 'đơn vị báo cáo', en: 'reporting unit' } },
      id: { type: 'string', value: { vi: '<mã-sự-kiện>', en: '<event-id>' }, description: { vi: 'mã sự kiện (mặc định: tự sinh)', en: 'event id (default: generated)' } },
      at: {
        type: 'string',
        value: { vi: '<thời điểm ISO>', en: '<ISO instant>' },
        description: { vi: 'thời điểm xảy ra/phát hiện, có múi giờ (mặc định: bây giờ)', en: 'when it happened/was detected, with offset (default: now)' },
      },
      description: { type: 'string', value: { vi: '<mô tả>', en: '<text>' }, description: { vi: 'mô tả', en: 'description' } },
    },
  }),
  withdraw: defineCommand({
    name: 'withdraw',
    summary: { vi: 'Thu hồi một chỉ thị (hoặc ghi nhận bị thay thế)', en: 'Withdraw a directive (or mark it superseded)' },
    positional: { name: { vi: '<mã-chỉ-thị>', en: '<directive-id>' } },
    flags: {
      'superseded-by': { type: 'string', value: ID, description: { vi: 'chỉ thị thay thế', en: 'the directive replacing it' } },
    },
  }),
  inbox: defineCommand({
    name: 'inbox',
    summary: { vi: 'Xem hộp thư thông báo của một đơn vị', en: "Show a unit's notices" },
    flags: {
      unit: { type: 'string', value: ID, description: { vi: 'mã đơn vị (mặc định: đơn vị của tài khoản đã đăng nhập)', en: 'unit id (default: the signed-in account\'s unit)' } },
      unread: { type: 'boolean', description: { vi: 'chỉ thông báo chưa đọc', en: 'unread notices only' } },
      limit: { type: 'string', value: { vi: '<n>', en: '<n>' }, description: { vi: 'số thông báo tối đa (mặc định 50)', en: 'at most this many notices (default 50)' } },
      json: JSON_OUT,
    },
  }),
  migrate: defineCommand({
    name: 'migrate',
    summary: { vi: 'Áp dụng các migration cơ sở dữ liệu còn thiếu (người vận hành)', en: 'Apply pending database migrations (operator)' },
    flags: {},
  }),
  audit: defineCommand({
    name: 'audit',
    summary: { vi: 'Kiểm tra chuỗi băm của nhật ký kiểm toán', en: "Check the audit trail's hash chains" },
    positional: { choices: ['verify', 'heads'] },
    flags: {
      directive: { type: 'string', value: ID, description: { vi: 'chỉ chuỗi của một chỉ thị (mặc định: mọi chỉ thị)', en: "one directive's chain only (default: every directive)" } },
      heads: {
        type: 'string',
        value: { vi: '<tệp>', en: '<file>' },
        description: {
          vi: 'verify: so với các đầu chuỗi đã lưu trước đó (chithi audit heads > tệp)',
          en: 'verify: compare with chain heads saved earlier (chithi audit heads > file)',
        },
      },
    },
  }),
  users: defineCommand({
    name: 'users',
    summary: { vi: 'Tạo, xem, khoá tài khoản (người vận hành; ghi thẳng vào cơ sở dữ liệu)', en: 'Create, list, disable accounts (operator; writes the database directly)' },
    positional: { name: { vi: 'add <tài-khoản> | list | disable <tài-khoản>', en: 'add <login> | list | disable <login>' }, many: true },
    flags: {
      unit: { type: 'string', value: ID, description: { vi: 'add: đơn vị của tài khoản (mã trong danh mục đơn vị)', en: "add: the account's unit (its id in a unit registry)" } },
      role: {
        type: 'string',
        multiple: true,
        value: { vi: '<vai-trò>', en: '<role>' },
        description: { vi: 'add: vai trò (officer, unit-head, reviewer, leadership, author, admin)', en: 'add: a role (officer, unit-head, reviewer, leadership, author, admin)' },
      },
      name: { type: 'string', value: { vi: '"<họ tên>"', en: '"<full name>"' }, description: { vi: 'add: tên hiển thị', en: 'add: display name' } },
      'no-password': { type: 'boolean', description: { vi: 'add: không có mật khẩu, chỉ đăng nhập một lần (OIDC)', en: 'add: no password, single sign-on (OIDC) only' } },
      json: JSON_OUT,
    },
  }),
  token: defineCommand({
    name: 'token',
    summary: { vi: 'Tạo, xem, thu hồi mã truy cập API của tài khoản mình', en: "Create, list, revoke your account's API tokens" },
    positional: { name: { vi: 'create | list | revoke <tên>', en: 'create | list | revoke <name>' }, many: true },
    flags: {
      name: { type: 'string', value: { vi: '<tên>', en: '<name>' }, description: { vi: 'create: tên của mã (để thu hồi sau này)', en: 'create: the token\'s name (to revoke it later)' } },
      json: JSON_OUT,
    },
  }),
  login: defineCommand({
    name: 'login',
    summary: { vi: 'Đăng nhập máy chủ API (lưu mã truy cập cho CLI)', en: 'Sign in to the API server (saves a token for the CLI)' },
    flags: {},
  }),
  logout: defineCommand({
    name: 'logout',
    summary: { vi: 'Đăng xuất: thu hồi mã truy cập đã lưu và xoá nó', en: 'Sign out: revoke the saved token and delete it' },
    flags: {},
  }),
};

export type CommandName = keyof typeof COMMANDS;
export type CommandSpecOf<N extends CommandName> = (typeof COMMANDS)[N];

/**
 * `npx chithi <lệnh> …` từ khai báo của lệnh; xem renderCommandLine. Dùng trong thư thông báo.
 * `npx chithi <command> …` from the command's declaration; see renderCommandLine. Used in notices.
 */
export function commandLine<N extends CommandName>(command: N, args: CommandArgs<CommandSpecOf<N>['flags']>): string {
  // Theo tên lệnh, TypeScript không thu hẹp được COMMANDS[command]; kiểu của args đã được kiểm ở trên.
  // TypeScript cannot narrow COMMANDS[command] by name; args' type was checked at the call.
  return renderCommandLine(COMMANDS[command] as CommandSpec, args as CommandArgs);
}
