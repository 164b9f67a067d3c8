/**
 * Rewrites README's configuration table from common/config.ts's SETTINGS (`--check`: exit 1 when
 * README differs, which test/config/config.test.ts also checks).
 */
import { join } from 'node:path';
import { configTable, ROOT } from '../common/config.js';
import { rewriteBlock } from './generated-block.js';

rewriteBlock(join(ROOT, 'README.md'), 'config-table', configTable(), 'scripts/config-table.ts');
