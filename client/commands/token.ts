import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { apiRequest } from '../api.js';
import { parseCommand, usageError } from '../args.js';
import type { Command, Io } from '../io.js';

const SPEC = COMMANDS['token'];

interface TokenInfo {
  name: string;
  createdAt: string;
  lastUsedAt?: string;
}

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Mã truy cập API cho tập lệnh và máy khác, thuộc tài khoản đang đăng nhập (\`chithi login\` hoặc CHITHI_TOKEN). Mã chỉ in một lần; máy chủ chỉ giữ bản băm.
  chithi token create --name ci      in mã mới; đặt vào CHITHI_TOKEN ở nơi dùng
  chithi token list                  tên, ngày tạo, lần dùng gần nhất
  chithi token revoke ci             mã hết hiệu lực ngay`,
      en: `API tokens for scripts and other machines, of the signed-in account (\`chithi login\` or CHITHI_TOKEN). A token is printed once; the server keeps only its hash.
  chithi token create --name ci      prints a new token; put it in CHITHI_TOKEN where it is used
  chithi token list                  names, creation dates, last use
  chithi token revoke ci             the token stops working at once`,
    },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommand(args, SPEC);
    const [action, name, ...extra] = positionals;
    const vi = io.lang === 'vi';
    const noMore = (rest: string[]) => {
      if (rest.length > 0) throw usageError({ vi: `Thừa đối số: ${rest.join(' ')}`, en: `Unexpected argument: ${rest.join(' ')}` }, 'token');
    };
    switch (action) {
      case 'create': {
        noMore(positionals.slice(1));
        if (!values.name) throw usageError({ vi: 'Thiếu --name (tên để thu hồi mã sau này).', en: 'Missing --name (the name to revoke it by later).' }, 'token');
        const t = await apiRequest<{ token: string; name: string; createdAt: string }>(io, 'POST', '/api/v1/tokens', { json: { name: values.name } });
        if (values.json) {
          io.stdout(JSON.stringify(t, null, 2) + '\n');
          return 0;
        }
        // The token alone on stdout, for `export CHITHI_TOKEN=$(chithi token create --name ci)`.
        io.stdout(`${t.token}\n`);
        io.stderr(vi ? `Mã "${t.name}" chỉ hiện một lần: lưu nó ngay (CHITHI_TOKEN). Thu hồi: chithi token revoke ${t.name}\n` : `Token "${t.name}" is shown only once: store it now (CHITHI_TOKEN). Revoke it with: chithi token revoke ${t.name}\n`);
        return 0;
      }
      case 'list': {
        noMore(positionals.slice(1));
        const { tokens } = await apiRequest<{ tokens: TokenInfo[] }>(io, 'GET', '/api/v1/tokens');
        if (values.json) {
          io.stdout(JSON.stringify(tokens, null, 2) + '\n');
          return 0;
        }
        if (tokens.length === 0) {
          io.stdout(vi ? 'Không có mã truy cập nào còn hiệu lực.\n' : 'No live API tokens.\n');
          return 0;
        }
        const width = Math.max(...tokens.map((t) => t.name.length));
        for (const t of tokens) {
          const used = t.lastUsedAt ? (vi ? `dùng gần nhất ${t.lastUsedAt}` : `last used ${t.lastUsedAt}`) : vi ? 'chưa dùng' : 'never used';
          io.stdout(`${t.name.padEnd(width)}  ${vi ? 'tạo' : 'created'} ${t.createdAt}  ${used}\n`);
        }
        return 0;
      }
      case 'revoke': {
        if (!name) throw usageError({ vi: 'Cần tên mã: chithi token revoke <tên>', en: 'Give the token\'s name: chithi token revoke <name>' }, 'token');
        noMore(extra);
        await apiRequest(io, 'DELETE', `/api/v1/tokens/${encodeURIComponent(name)}`);
        io.stdout(vi ? `Đã thu hồi mã "${name}".\n` : `Token "${name}" revoked.\n`);
        return 0;
      }
      default:
        throw usageError({ vi: 'Cần create, list hoặc revoke.', en: 'Give create, list or revoke.' }, 'token');
    }
  },
};
