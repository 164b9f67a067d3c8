import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { ApiError, apiRequest, deleteCredentials, readCredentials } from '../api.js';
import { parseCommand, usageError } from '../args.js';
import { UserError, type Command, type Io } from '../io.js';

const SPEC = COMMANDS['logout'];

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: 'Thu hồi mã truy cập mà `chithi login` đã lưu, rồi xoá tệp lưu nó. Không đụng tới CHITHI_TOKEN.',
      en: 'Revokes the token `chithi login` saved, then deletes the file holding it. CHITHI_TOKEN is left alone.',
    },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const { positionals } = parseCommand(args, SPEC);
    if (positionals.length > 0) throw usageError({ vi: `Thừa đối số: ${positionals.join(' ')}`, en: `Unexpected argument: ${positionals.join(' ')}` }, 'logout');
    const vi = io.lang === 'vi';
    const saved = readCredentials(io.env);
    if (!saved) {
      io.stdout(vi ? 'Chưa đăng nhập; không có gì để làm.\n' : 'Not signed in; nothing to do.\n');
      return 0;
    }
    // The saved token signs its own revocation, sent to the server that issued it.
    const env = { ...io.env, CHITHI_API_URL: saved.url, CHITHI_TOKEN: saved.token };
    try {
      await apiRequest({ env, lang: io.lang }, 'DELETE', `/api/v1/tokens/${encodeURIComponent(saved.name)}`);
    } catch (err) {
      // Already revoked (401) or gone (404): the token is dead either way, so signing out succeeds.
      if (!(err instanceof ApiError && (err.status === 401 || err.status === 404))) {
        if (!(err instanceof UserError)) throw err;
        throw new UserError(
          {
            vi: `${err.text.vi}\nChưa đăng xuất: mã "${saved.name}" vẫn còn hiệu lực. Chạy lại khi máy chủ hoạt động.`,
            en: `${err.text.en}\nNot signed out: token "${saved.name}" is still valid. Run this again when the server is up.`,
          },
          1,
          { cause: err },
        );
      }
    }
    deleteCredentials(io.env);
    io.stdout(vi ? `Đã đăng xuất khỏi ${saved.url} (mã "${saved.name}" đã thu hồi).\n` : `Signed out of ${saved.url} (token "${saved.name}" revoked).\n`);
    return 0;
  },
};
