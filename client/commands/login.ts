import { hostname } from 'node:os';
import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { ApiError, apiRequest, apiUrl, saveCredentials } from '../api.js';
import { parseCommand, usageError } from '../args.js';
import type { Command, Io } from '../io.js';
import { ask } from '../prompt.js';

const SPEC = COMMANDS['login'];

interface Issued {
  token: string;
  name: string;
  login: string;
  unit: string;
  roles: string[];
  displayName?: string;
}

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Hỏi tên đăng nhập và mật khẩu (mật khẩu gõ không hiện; qua ống: hai dòng), xin máy chủ API (CHITHI_API_URL) một mã truy cập tên cli-<máy>-<ngày> và lưu nó (CHITHI_CREDENTIALS_FILE, quyền 0600). Các lệnh sau dùng mã này. Đăng xuất: chithi logout.`,
      en: `Asks for the login and password (the password is not echoed; from a pipe: two lines), gets an API token named cli-<host>-<date> from the API server (CHITHI_API_URL) and saves it (CHITHI_CREDENTIALS_FILE, mode 0600). Later commands use it. To sign out: chithi logout.`,
    },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const { positionals } = parseCommand(args, SPEC);
    if (positionals.length > 0) throw usageError({ vi: `Thừa đối số: ${positionals.join(' ')}`, en: `Unexpected argument: ${positionals.join(' ')}` }, 'login');
    const url = apiUrl(io.env);
    const [login, password] = await ask(io, [{ name: { vi: 'tên đăng nhập', en: 'login' } }, { name: { vi: 'mật khẩu', en: 'password' }, secret: true }]);
    const base = `cli-${hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 30) || 'host'}-${new Date().toISOString().slice(0, 10)}`;
    const issue = (name: string) => apiRequest<Issued>(io, 'POST', '/api/v1/auth/token', { auth: false, json: { login, password, name } });
    let issued: Issued;
    try {
      issued = await issue(base);
    } catch (err) {
      // Signed in from this machine earlier today: a second token with the time in its name.
      if (!(err instanceof ApiError && err.status === 409)) throw err;
      issued = await issue(`${base}-${new Date().toISOString().slice(11, 19).replace(/:/g, '')}`);
    }
    const path = saveCredentials(io.env, { url, token: issued.token, name: issued.name, login: issued.login });
    const who = `${issued.unit}/${issued.login}${issued.displayName ? ` (${issued.displayName})` : ''}`;
    io.stdout(
      io.lang === 'vi'
        ? `Đã đăng nhập ${url} là ${who}, vai trò ${issued.roles.join(', ')}. Mã "${issued.name}" lưu ở ${path}.\n`
        : `Signed in to ${url} as ${who}, roles ${issued.roles.join(', ')}. Token "${issued.name}" saved in ${path}.\n`,
    );
    return 0;
  },
};
