/**
 * Rewrites docs/authorization.md's table from server/authz.ts's PERMISSIONS (`--check`: exit 1
 * when the file differs; test/server/authorization.test.ts checks the same).
 */
import { join } from 'node:path';
import { ROOT } from '../common/config.js';
import { permissionsTable } from '../server/authz.js';
import { rewriteBlock } from './generated-block.js';

rewriteBlock(join(ROOT, 'docs', 'authorization.md'), 'authz-table', permissionsTable(), 'scripts/authz-table.ts');
