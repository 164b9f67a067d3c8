/**
 * Rewrites README's configuration table from common/config.ts's SETTINGS (`--check`: exit 1 when
 * README differs, which test/config/config.test.ts also checks).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configTable, ROOT } from '../common/config.js';

const README = join(ROOT, 'README.md');
const BLOCK = /(<!-- config-table:begin[^>]*-->\n)[\s\S]*?(<!-- config-table:end -->)/;

const readme = readFileSync(README, 'utf8');
if (!BLOCK.test(readme)) {
  console.error('README.md has no <!-- config-table:begin --> … <!-- config-table:end --> block');
  process.exit(1);
}
const next = readme.replace(BLOCK, (_, begin: string, end: string) => `${begin}${configTable()}${end}`);
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error('README.md configuration table is out of date: run npx tsx scripts/config-table.ts');
    process.exit(1);
  }
} else if (next !== readme) {
  writeFileSync(README, next);
  console.log('README.md: configuration table updated');
}
