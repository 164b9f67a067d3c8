import { migrateAsOwner } from '../../activities/db/migrate.js';
import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { ENV_FILE, loadConfig } from '../../common/config.js';
import { withDatabase } from '../../service/connect.js';
import { parseCommand, usageError } from '../args.js';
import type { Command, Io } from '../io.js';

const SPEC = COMMANDS['migrate'];

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Lệnh của người vận hành: ghi thẳng vào cơ sở dữ liệu, không qua máy chủ API, nên chạy trên máy chủ.
Áp dụng các tệp activities/db/migrations/*.sql chưa chạy, mỗi tệp trong một giao dịch, với
DATABASE_OWNER_URL (chủ sở hữu các bảng) khi có, nếu không thì DATABASE_URL. Chạy lại là an toàn:
không còn gì thì không làm gì. npm start, worker và chithi users add cũng tự chạy bước này.`,
      en: `Operator command: writes the database directly, not through the API server, so run it on the server.
Applies the activities/db/migrations/*.sql files not yet run, each in one transaction, as
DATABASE_OWNER_URL (the tables' owner) when set, else DATABASE_URL. Safe to repeat: with nothing
pending it does nothing. npm start, the worker and chithi users add run it too.`,
    },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const { positionals } = parseCommand(args, SPEC);
    if (positionals.length > 0) throw usageError({ vi: `Thừa đối số: ${positionals.join(' ')}`, en: `Unexpected argument: ${positionals.join(' ')}` }, 'migrate');
    const owner = loadConfig(io.env, { envFile: ENV_FILE }).database.ownerUrl;
    const { applied } = await withDatabase(io.env, (pool) => migrateAsOwner(pool, owner));
    const vi = io.lang === 'vi';
    if (applied.length === 0) io.stdout(vi ? 'Cơ sở dữ liệu đã ở phiên bản mới nhất: không có migration nào phải chạy.\n' : 'The database is up to date: no migration to apply.\n');
    else io.stdout((vi ? `Đã áp dụng ${applied.length} migration:\n` : `Applied ${applied.length} migration(s):\n`) + applied.map((f) => `  ${f}\n`).join(''));
    return 0;
  },
};
