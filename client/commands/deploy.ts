import { compileFile } from '../../compiler/index.js';
import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { parseCommand, isoDate, usageError } from '../args.js';
import { deploy } from '../../service/deploy.js';
import { withRuntime } from '../../service/connect.js';
import type { Command, Io } from '../io.js';
import { printDiagnostics } from '../diagnostics.js';
import { progressReporter } from '../progress.js';
import { resolve } from 'node:path';

const SPEC = COMMANDS['deploy'];

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Biên dịch chỉ thị rồi khởi động một phiên cho mỗi (nghĩa vụ, đơn vị chủ trì).
Chạy lại là an toàn: cùng kế hoạch thì không khởi động gì thêm; bản sửa đổi chỉ
điều chỉnh, bổ sung hoặc thu hồi những gì thay đổi. Nghĩa vụ theo sự kiện chỉ bắt
đầu khi có báo cáo (chithi report-event).`,
      en: `Compiles the directive, then starts one instance per (obligation, assignee).
Safe to repeat: the same plan starts nothing; an amended file amends, starts
or withdraws only what changed. Event obligations start when an event is
reported (chithi report-event).`,
    },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommand(args, SPEC);
    if (positionals.length !== 1 || !positionals[0]) {
      throw usageError({ vi: 'Cần đúng một tệp chỉ thị.', en: 'Give exactly one directive file.' }, 'deploy');
    }
    const file = resolve(io.cwd, positionals[0]);
    const asOf = values['as-of'] === undefined ? undefined : isoDate(values['as-of'], '--as-of', 'deploy');
    const compiled = await compileFile(file, {
      ...(asOf ? { asOf } : {}),
      ...(values.registry ? { registryPath: resolve(io.cwd, values.registry) } : {}),
    });
    printDiagnostics(compiled.diagnostics, io);
    if (!compiled.ok) {
      io.stderr(io.lang === 'vi' ? 'Chỉ thị có lỗi: không triển khai gì.\n' : 'The directive has errors: nothing deployed.\n');
      return 1;
    }
    const plan = compiled.plan;
    return withRuntime(io.env, async ({ client, pool, taskQueue }) => {
      const progress = progressReporter(io, io.lang === 'vi' ? 'Triển khai' : 'Deploying');
      let result;
      try {
        result = await deploy(plan, { client, pool, taskQueue, onProgress: progress.update });
      } finally {
        progress.stop();
      }
      const d = plan.directive;
      if (result.alreadyDeployed) {
        io.stdout(
          io.lang === 'vi'
            ? `${d.id} (${d.number}, lần sửa đổi ${d.revision}) đã được triển khai: không có gì thay đổi (${result.total} phiên).\n`
            : `${d.id} (${d.number}, revision ${d.revision}) is already deployed: nothing changed (${result.total} instances).\n`,
        );
      } else {
        io.stdout(
          io.lang === 'vi'
            ? `Đã triển khai ${d.id} (${d.number}, lần sửa đổi ${d.revision}): khởi động ${result.started}, điều chỉnh ${result.amended}, thu hồi ${result.withdrawn}, giữ nguyên ${result.unchanged}.\n`
            : `Deployed ${d.id} (${d.number}, revision ${d.revision}): started ${result.started}, amended ${result.amended}, withdrawn ${result.withdrawn}, unchanged ${result.unchanged}.\n`,
        );
      }
      return 0;
    });
  },
};
