import { userInfo } from 'node:os';
import { disableAccount, listAccounts, migrate } from '../../activities/store/index.js';
import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { ROLES } from '../../common/roles.js';
import { hashPassword, MIN_PASSWORD, passwordProblem } from '../../server/auth/passwords.js';
import { checkAccountRequest, provisionAccount } from '../../service/accounts.js';
import { withDatabase } from '../../service/connect.js';
import { parseCommand, usageError } from '../args.js';
import { UserError, type Command, type Io } from '../io.js';
import { ask } from '../prompt.js';

const SPEC = COMMANDS['users'];

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Lệnh của người vận hành: ghi thẳng vào cơ sở dữ liệu (DATABASE_URL), không qua máy chủ API, nên chạy trên máy chủ. Đây là cách tạo quản trị viên đầu tiên:
  chithi users add quantri --unit <mã-đơn-vị> --role admin

add: mật khẩu (ít nhất ${MIN_PASSWORD} ký tự) đọc từ stdin: gõ không hiện khi ở terminal, hoặc dòng đầu tiên khi dẫn qua ống (printf '%s\\n' "$MAT_KHAU" | chithi users add …). Tên đăng nhập không phân biệt hoa thường. Đơn vị phải có trong một danh mục ở directives/registries/. Vai trò: ${ROLES.join(', ')} (lặp lại --role).
disable: tài khoản không đăng nhập được nữa; các phiên và mã truy cập của nó hết hiệu lực ngay.`,
      en: `Operator command: writes the database directly (DATABASE_URL), not through the API server, so run it on the server. It is how the first administrator is created:
  chithi users add admin --unit <unit-id> --role admin

add: the password (at least ${MIN_PASSWORD} characters) is read from stdin: typed without echo at a terminal, or the first line of a pipe (printf '%s\\n' "$PASSWORD" | chithi users add …). Logins are case-insensitive. The unit must be listed by a registry in directives/registries/. Roles: ${ROLES.join(', ')} (repeat --role).
disable: the account can no longer sign in; its sessions and API tokens stop working at once.`,
    },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommand(args, SPEC);
    const [action, login, ...extra] = positionals;
    const vi = io.lang === 'vi';
    const oneLogin = (): string => {
      if (!login || extra.length > 0) throw usageError({ vi: `Cần đúng một tên đăng nhập: chithi users ${action} <tài-khoản>`, en: `Give exactly one login: chithi users ${action} <login>` }, 'users');
      return login;
    };
    switch (action) {
      case 'add': {
        if (!values.unit) throw usageError({ vi: 'Thiếu --unit.', en: 'Missing --unit.' }, 'users');
        const request = await checkAccountRequest({
          login: oneLogin(),
          unit: values.unit,
          roles: values.role ?? [],
          createdBy: operator(),
          ...(values.name !== undefined && { displayName: values.name }),
        });
        let passwordHash: string | undefined;
        if (!values['no-password']) {
          const [password] = await ask(io, [{ name: { vi: 'mật khẩu', en: 'password' }, secret: true }]);
          const problem = passwordProblem(password!);
          if (problem) throw new UserError(problem);
          passwordHash = await hashPassword(password!);
        }
        const account = await withDatabase(io.env, async (pool) => {
          // The first administrator may be created before any server or worker ran on this database.
          await migrate(pool);
          return provisionAccount(pool, { ...request, ...(passwordHash !== undefined && { passwordHash }) });
        });
        io.stdout(
          vi
            ? `Đã tạo tài khoản ${account.login} (đơn vị ${account.unitId}; vai trò ${account.roles.join(', ')}${account.hasPassword ? '' : '; chỉ đăng nhập một lần'}).\n`
            : `Account ${account.login} created (unit ${account.unitId}; roles ${account.roles.join(', ')}${account.hasPassword ? '' : '; single sign-on only'}).\n`,
        );
        return 0;
      }
      case 'list': {
        if (login !== undefined) throw usageError({ vi: `Thừa đối số: ${positionals.slice(1).join(' ')}`, en: `Unexpected argument: ${positionals.slice(1).join(' ')}` }, 'users');
        const accounts = await withDatabase(io.env, (pool) => listAccounts(pool));
        if (values.json) {
          io.stdout(JSON.stringify(accounts, null, 2) + '\n');
          return 0;
        }
        if (accounts.length === 0) {
          io.stdout(vi ? 'Chưa có tài khoản nào. Tạo quản trị viên đầu tiên: chithi users add <tài-khoản> --unit <mã> --role admin\n' : 'No accounts yet. Create the first administrator: chithi users add <login> --unit <id> --role admin\n');
          return 0;
        }
        const width = Math.max(...accounts.map((a) => a.login.length));
        const unitWidth = Math.max(...accounts.map((a) => a.unitId.length));
        for (const a of accounts) {
          const notes = [...(a.disabled ? [vi ? 'đã khoá' : 'disabled'] : []), ...(a.hasPassword ? [] : [vi ? 'chỉ đăng nhập một lần' : 'single sign-on only'])];
          io.stdout(`${a.login.padEnd(width)}  ${a.unitId.padEnd(unitWidth)}  ${a.roles.join(',')}${a.displayName ? `  ${a.displayName}` : ''}${notes.length ? `  (${notes.join(', ')})` : ''}\n`);
        }
        return 0;
      }
      case 'disable': {
        const name = oneLogin();
        const done = await withDatabase(io.env, (pool) => disableAccount(pool, name));
        if (!done) throw new UserError({ vi: `Không có tài khoản "${name}". Xem: chithi users list`, en: `No account "${name}". See: chithi users list` });
        io.stdout(vi ? `Đã khoá tài khoản ${name.toLowerCase()}: các phiên và mã truy cập của nó hết hiệu lực.\n` : `Account ${name.toLowerCase()} disabled: its sessions and API tokens no longer work.\n`);
        return 0;
      }
      default:
        throw usageError({ vi: 'Cần add, list hoặc disable.', en: 'Give add, list or disable.' }, 'users');
    }
  },
};

/** Who ran the command, for accounts.created_by: the operator's system account. */
function operator(): string {
  try {
    return `operator:${userInfo().username}`;
  } catch {
    // A container user without a passwd entry.
    return 'operator';
  }
}
