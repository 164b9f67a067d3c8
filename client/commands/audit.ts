import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { helpText, isChoice } from '../../common/cli-spec.js';
import { COMMANDS } from '../../common/commands.js';
import { parseCommand, usageError } from '../args.js';
import { verifyAudit, formatHeads, parseHeads, type AuditVerification, type ChainBreak, type ChainHead } from '../../service/audit.js';
import { withDatabase } from '../../service/connect.js';
import { UserError, type Command, type Io, type Lang } from '../io.js';

const SPEC = COMMANDS.audit;

export const command: Command = {
  help: helpText(SPEC, {
    intro: {
      vi: `Lệnh của người vận hành: đọc trực tiếp cơ sở dữ liệu (DATABASE_URL), không qua Temporal.
Mỗi chỉ thị có một chuỗi nhật ký: mỗi dòng mang mã băm của dòng trước và của nội dung chính nó.
  verify  tính lại mọi mã băm; in số dòng và đầu mỗi chuỗi, hoặc dòng đầu tiên không khớp
  heads   in đầu mỗi chuỗi (sau khi kiểm tra), để lưu ở nơi khác cơ sở dữ liệu: chithi audit heads > tệp`,
      en: `Operator command: reads the database directly (DATABASE_URL), not through Temporal.
Each directive has one chain of audit rows: each row carries the hash of the row before it and of its own content.
  verify  recompute every hash; print the row count and each chain's head, or the first row that does not match
  heads   print each chain's head (once verified), to keep outside the database: chithi audit heads > file`,
    },
    epilogue: {
      vi: 'Mã thoát: 0 khớp; 1 có dòng không khớp (hoặc không đọc được cơ sở dữ liệu); 2 sai cách dùng.',
      en: 'Exit codes: 0 all match; 1 a row does not match (or the database cannot be read); 2 usage error.',
    },
  }),
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommand(args, SPEC);
    const action = positionals[0];
    if (positionals.length !== 1 || !isChoice(SPEC.positional.choices, action)) {
      throw usageError({ vi: 'Cần chọn verify hoặc heads.', en: 'Choose verify or heads.' }, 'audit');
    }
    if (action === 'heads' && values.heads !== undefined) {
      throw usageError({ vi: '--heads chỉ dùng với verify.', en: '--heads goes with verify only.' }, 'audit');
    }
    const anchors = values.heads === undefined ? undefined : await readAnchors(resolve(io.cwd, values.heads));
    const result = await withDatabase(io.env, (pool) =>
      verifyAudit(pool, { ...(values.directive !== undefined && { directiveId: values.directive }), ...(anchors && { anchors }) }),
    );
    if (result.broken) {
      io.stderr(describeBreak(result.broken, io.lang));
      return 1;
    }
    if (action === 'heads') {
      io.stdout(formatHeads(result.heads));
      return 0;
    }
    io.stdout(summary(result, anchors !== undefined, io.lang));
    return 0;
  },
};

async function readAnchors(path: string): Promise<ChainHead[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UserError(
      { vi: `Không đọc được tệp --heads ${path}: ${(err as Error).message}`, en: `Cannot read the --heads file ${path}: ${(err as Error).message}` },
      1,
      { cause: err },
    );
  }
  const parsed = parseHeads(text);
  if ('error' in parsed) throw usageError({ vi: `${path}: ${parsed.error.vi}`, en: `${path}: ${parsed.error.en}` }, 'audit');
  return parsed.heads;
}

function summary(r: AuditVerification, anchored: boolean, lang: Lang): string {
  const vi = lang === 'vi';
  const lines = [vi ? `audit: ${r.rows} dòng trong ${r.chains} chuỗi đã kiểm tra, khớp` : `audit: ${r.rows} rows in ${r.chains} chains verified`];
  if (anchored) lines.push(vi ? '  các đầu chuỗi đã lưu (--heads) vẫn nằm trong chuỗi' : '  the saved heads (--heads) are still in their chains');
  if (r.unchained > 0) {
    lines.push(
      vi
        ? `  ${r.unchained} dòng ghi trước khi có chuỗi (trước migration 007): không kiểm tra được`
        : `  ${r.unchained} rows written before the chain existed (before migration 007): not verifiable`,
    );
  }
  for (const h of r.heads) lines.push(`  ${h.directiveId} #${h.seq} ${h.hash}`);
  return lines.join('\n') + '\n';
}

function describeBreak(b: ChainBreak, lang: Lang): string {
  const vi = lang === 'vi';
  const row =
    b.seq !== undefined
      ? vi
        ? `dòng #${b.seq} (id ${b.id}, khoá ${b.key})`
        : `row #${b.seq} (id ${b.id}, key ${b.key})`
      : '';
  const what: Record<ChainBreak['kind'], { vi: string; en: string }> = {
    content: {
      vi: `mã băm nội dung không khớp: dòng đã bị sửa sau khi ghi`,
      en: `its content hash does not match: the row was altered after it was written`,
    },
    link: {
      vi: `liên kết tới dòng trước không khớp: một dòng trước nó đã bị xoá, sửa (cùng mã băm) hoặc chèn thêm`,
      en: `its link to the previous row does not match: a row before it was removed, altered (hash included) or slipped in`,
    },
    head: {
      vi: `đầu chuỗi trong audit_heads không khớp với dòng cuối: các dòng cuối chuỗi đã bị xoá`,
      en: `the head in audit_heads does not match the last row: rows were cut off the end of the chain`,
    },
    anchor: {
      vi: `đầu chuỗi đã lưu (--heads) không còn trong chuỗi: chuỗi đã bị viết lại`,
      en: `a head saved earlier (--heads) is no longer in the chain: the chain was rewritten`,
    },
  };
  const head = vi
    ? `audit: chuỗi của chỉ thị ${b.directiveId} không khớp${row ? ` tại ${row}` : ''}: ${what[b.kind].vi}`
    : `audit: the chain of directive ${b.directiveId} does not match${row ? ` at ${row}` : ''}: ${what[b.kind].en}`;
  const detail = vi ? `  mong đợi: ${b.expected}\n  thấy:     ${b.found}` : `  expected: ${b.expected}\n  found:    ${b.found}`;
  const hint = vi
    ? `Gợi ý: so dòng này với bản sao lưu cơ sở dữ liệu (pg_dump) trước thời điểm đó, và xem ai có quyền chủ sở hữu
(không phải vai trò chithi_app) trên bảng audit. Đừng sửa bảng audit bằng tay: chuỗi sẽ hỏng thêm.`
    : `Hint: compare this row with a database backup (pg_dump) from before, and find who holds owner rights
(not the chithi_app role) on the audit table. Do not edit the audit table by hand: the chain only breaks further.`;
  return `${head}\n${detail}\n${hint}\n`;
}
