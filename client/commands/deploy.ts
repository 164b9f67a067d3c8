import { compileFile, loadRegistry, registryText } from '../../compiler/index.js';
import { helpText } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { parseCommand, isoDate, usageError } from '../args.js';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { DeployResult } from '../../service/deploy.js';
import type { PlanImpact } from '../../service/impact.js';
import { formatImpact } from '../impact.js';
import { apiRequest } from '../api.js';
import type { Command, Io } from '../io.js';
import { printDiagnostics } from '../diagnostics.js';
import { basename, dirname, resolve } from 'node:path';

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
    // Checked here first, so a mistake reads exactly like `chithi validate`; the server compiles the
    // same source again (what runs is what it compiled, never a plan a client sent).
    const registryPath = values.registry ? resolve(io.cwd, values.registry) : registryOf(file);
    const upload = {
      source: readFileSync(file, 'utf8'),
      fileName: basename(file),
      ...(registryPath !== undefined && { registry: await uploadedRegistry(registryPath) }),
      asOf: plan.directive.asOf,
    };
    if (values['dry-run']) {
      const impact = await apiRequest<PlanImpact & { deployedStatus: string | null }>(io, 'POST', '/api/v1/directives/impact', { json: upload });
      if (values.json) io.stdout(JSON.stringify(impact, null, 2) + '\n');
      else {
        if (impact.deployedStatus === 'withdrawn' || impact.deployedStatus === 'superseded') {
          io.stdout(io.lang === 'vi' ? `Chỉ thị ${plan.directive.id} đã bị thu hồi hoặc thay thế: triển khai sẽ bị từ chối.\n` : `Directive ${plan.directive.id} was withdrawn or superseded: deploying it would be refused.\n`);
        }
        io.stdout(formatImpact(impact, io.lang));
        io.stdout(io.lang === 'vi' ? '(Chạy thử: chưa triển khai gì.)\n' : '(Dry run: nothing deployed.)\n');
      }
      return 0;
    }
    const result = await apiRequest<DeployResult>(io, 'POST', '/api/v1/directives', { json: upload });
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
  },
};

/**
 * The registry as the server receives it: one file, since it compiles what it receives on its own;
 * a registry that includes others is sent merged (registryText). Loaded already, by the compile above.
 */
async function uploadedRegistry(path: string): Promise<string> {
  // Named from its own folder: the merged file's header lists the files, and local paths are no business of the server's.
  const r = await loadRegistry(path, basename(path));
  return r.ok ? registryText(r.registry) : readFileSync(path, 'utf8');
}

/** The registry file a directive names (`metadata.registry`, relative to the directive). */
function registryOf(file: string): string | undefined {
  const named = (parseYaml(readFileSync(file, 'utf8')) as { metadata?: { registry?: unknown } } | null)?.metadata?.registry;
  return typeof named === 'string' ? resolve(dirname(file), named) : undefined;
}
