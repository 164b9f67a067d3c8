/**
 * Rewrites docs/authorization.md's table from server/authz.ts's PERMISSIONS (`--check`: exit 1
 * when the file differs; test/server/authorization.test.ts checks the same).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../common/config.js';
import { permissionsTable } from '../server/authz.js';

const DOC = join(ROOT, 'docs', 'authorization.md');
const BLOCK = /(<!-- authz-table:begin[^>]*-->\n)[\s\S]*?(<!-- authz-table:end -->)/;
const doc = readFileSync(DOC, 'utf8');
const next = doc.replace(BLOCK, (_, begin: string, end: string) => `${begin}${permissionsTable()}${end}`);
if (process.argv.includes('--check')) {
  if (next !== doc) {
    console.error('docs/authorization.md is out of date: run npx tsx scripts/authz-table.ts');
    process.exit(1);
  }
} else if (next !== doc) {
  writeFileSync(DOC, next);
  console.log('docs/authorization.md: table updated');
}
