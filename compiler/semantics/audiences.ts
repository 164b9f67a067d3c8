/**
 * Một nhiệm vụ giao cho một nhóm không có đơn vị nào là lỗi, trừ khi văn bản cho phép (`mayBeEmpty`).
 * An obligation's `assignees` or `cooperating` entry that selects no unit in the registry is an
 * error, unless the selection says it may be empty (`mayBeEmpty: true`, on the named audience or on
 * the selector the obligation writes): a typo in a tag or a kind would otherwise make a duty reach
 * nobody with only a warning to say so.
 *
 * Checked on the registry as written (before succession and dissolution at `asOf`): a unit dissolved
 * since is a matter of time, not of the selector, and stays a warning in resolve.ts.
 */
import type { Selector, UnitRef } from '../schema/directive.generated.js';
import { audienceContext, expandAudience, expandRef, selectorForms } from '../audience.js';
import { diag } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { locate } from '../positions.js';
import type { JsonPath } from '../positions.js';
import type { DirectiveContext } from './context.js';
import { isObject } from './context.js';

/** The named audience an entry stands for: `telecoms` or `{ audience: telecoms }` (with at most `mayBeEmpty` beside it). */
function audienceNameOf(ref: UnitRef, audiences: Record<string, Selector>): string | undefined {
  if (typeof ref === 'string') return ref in audiences ? ref : undefined;
  return ref.audience !== undefined && selectorForms(ref).length === 1 ? ref.audience : undefined;
}

/** Whether the entry, or the named audience it stands for (through `{ audience: … }` aliases), may be empty. */
export function mayBeEmpty(ref: UnitRef, audiences: Record<string, Selector>, seen = new Set<string>()): boolean {
  if (typeof ref !== 'string' && ref.mayBeEmpty === true) return true;
  const name = audienceNameOf(ref, audiences);
  if (name === undefined || seen.has(name)) return false;
  seen.add(name);
  return mayBeEmpty(audiences[name]!, audiences, seen);
}

export function checkEmptyAudiences(ctx: DirectiveContext): Diagnostic[] {
  const { data, parsed, registry } = ctx;
  if (!registry) return [];
  const out: Diagnostic[] = [];
  const audiences: Record<string, Selector> = isObject(data.audiences) ? data.audiences : {};
  const actx = audienceContext(registry, audiences);
  const usedByObligations = new Set<string>();
  const defLine = (name: string): number => locate(parsed, ['audiences', name], 'key').line;
  const obligations = Array.isArray(data.obligations) ? data.obligations : [];

  obligations.forEach((o, i) => {
    if (!isObject(o)) return;
    for (const field of ['assignees', 'cooperating'] as const) {
      const refs = o[field];
      if (!Array.isArray(refs) || !ctx.clean(['obligations', i, field])) continue;
      refs.forEach((ref, j) => {
        const name = audienceNameOf(ref, audiences);
        if (name !== undefined) usedByObligations.add(name);
        // A unit id names a unit that exists (references.ts checked it).
        if (typeof ref === 'string' && name === undefined) return;
        if (expandRef(actx, ref).size > 0 || mayBeEmpty(ref, audiences)) return;
        const path: JsonPath = ['obligations', i, field, j];
        const id = typeof o.id === 'string' ? o.id : `#${i + 1}`;
        const role = field === 'assignees' ? { vi: 'đơn vị chủ trì', en: 'assignee' } : { vi: 'đơn vị phối hợp', en: 'co-operating' };
        out.push(
          name !== undefined
            ? diag(
                parsed.file,
                locate(parsed, path),
                'empty-audience',
                {
                  vi: `nhóm đối tượng \`${name}\` không chọn được đơn vị nào trong danh mục ${registry.file}, nên mục ${role.vi} này của \`${id}\` không đến được ai`,
                  en: `audience \`${name}\` selects no unit in the registry ${registry.file}, so this ${role.en} entry of \`${id}\` reaches nobody`,
                },
                {
                  vi: `kiểm tra bộ chọn của \`${name}\` (dòng ${defLine(name)}) với danh mục; nếu văn bản cho phép không có đơn vị nào (vd. “nếu có”), thêm \`mayBeEmpty: true\` vào nhóm đó, hoặc viết ở đây \`{ audience: ${name}, mayBeEmpty: true }\``,
                  en: `check the selector of \`${name}\` (line ${defLine(name)}) against the registry; if the text allows none (e.g. "if any"), add \`mayBeEmpty: true\` to that audience, or write \`{ audience: ${name}, mayBeEmpty: true }\` here`,
                },
              )
            : diag(
                parsed.file,
                locate(parsed, path),
                'empty-audience',
                {
                  vi: `bộ chọn này không chọn được đơn vị nào trong danh mục ${registry.file}, nên mục ${role.vi} này của \`${id}\` không đến được ai`,
                  en: `this selector selects no unit in the registry ${registry.file}, so this ${role.en} entry of \`${id}\` reaches nobody`,
                },
                {
                  vi: 'kiểm tra bộ chọn với danh mục; nếu văn bản cho phép không có đơn vị nào (vd. “nếu có”), thêm `mayBeEmpty: true` vào bộ chọn',
                  en: 'check the selector against the registry; if the text allows none (e.g. "if any"), add `mayBeEmpty: true` to it',
                },
              ),
        );
      });
    }
  });

  // Một nhóm không nhiệm vụ nào dùng trực tiếp (chỉ dùng trong nhóm khác, hoặc không dùng) chỉ đáng cảnh báo.
  // An audience no obligation names itself (used inside another audience's anyOf, or not at all)
  // reaches nobody through this check: it still deserves a word, as a warning.
  for (const [name, sel] of Object.entries(audiences)) {
    if (usedByObligations.has(name) || !ctx.clean(['audiences', name]) || !isObject(sel) || mayBeEmpty(sel, audiences)) continue;
    if (expandAudience(actx, name).size > 0) continue;
    out.push(
      diag(parsed.file, locate(parsed, ['audiences', name], 'key'), 'empty-audience', { vi: `nhóm đối tượng \`${name}\` không chọn được đơn vị nào`, en: `audience \`${name}\` selects no unit` }, {
        vi: `kiểm tra bộ chọn với danh mục ${registry.file}, hoặc thêm \`mayBeEmpty: true\` nếu văn bản cho phép`,
        en: `check the selector against the registry ${registry.file}, or add \`mayBeEmpty: true\` if the text allows it`,
      }, 'warning'),
    );
  }
  return out;
}
