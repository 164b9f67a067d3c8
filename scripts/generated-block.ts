/**
 * Rewrites a generated block of a document (`<!-- name:begin … -->` … `<!-- name:end -->`) from the
 * code it documents; `--check` exits 1 when the file differs instead. Used by config-table.ts
 * (README's settings) and authz-table.ts (docs/authorization.md), whose tests check the same.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from '../common/config.js';

export function rewriteBlock(file: string, name: string, content: string, script: string): void {
  const shown = relative(ROOT, file);
  const block = new RegExp(`(<!-- ${name}:begin[^>]*-->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  const text = readFileSync(file, 'utf8');
  if (!block.test(text)) {
    console.error(`${shown} has no <!-- ${name}:begin --> … <!-- ${name}:end --> block`);
    process.exit(1);
  }
  const next = text.replace(block, (_, begin: string, end: string) => `${begin}${content}${end}`);
  if (process.argv.includes('--check')) {
    if (next !== text) {
      console.error(`${shown}: the ${name} is out of date: run npx tsx ${script}`);
      process.exit(1);
    }
  } else if (next !== text) {
    writeFileSync(file, next);
    console.log(`${shown}: ${name} updated`);
  }
}
