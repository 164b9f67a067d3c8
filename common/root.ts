/**
 * Thư mục gốc của dự án, nơi có package.json: dữ liệu đọc lúc chạy (JSON Schema, lịch, migration,
 * .data/) được tìm từ đây, nên mã chạy từ nguồn (tsx) hay từ bản dựng dist/ đều đọc cùng một tệp.
 * The project's root folder, the one holding package.json. Data read at run time (JSON Schemas,
 * calendars, migrations, .data/) is found from here, so the sources run through tsx and the build
 * in dist/ read the same files: a path relative to `import.meta.url` would point into dist/, where
 * the data is not (and copies of it could go stale).
 *
 * Không nhập gì ngoài mô-đun Node: mọi tầng dùng được. / Imports only Node built-ins: any layer may use it.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  // common/ → the root from the sources; dist/common/ → dist/ → the root from the build: at most
  // three existsSync calls (~0.03 ms each).
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`chithi: no package.json above ${from}`);
  }
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
