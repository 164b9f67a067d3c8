/**
 * Generates compiler/schema/*.generated.ts from the JSON Schemas, which are the single source of
 * truth. `--check` regenerates in memory and fails when a committed file differs, so CI catches a
 * schema edit that was not followed by `npm run gen:types`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';
import type { JSONSchema } from 'json-schema-to-typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = join(root, 'compiler', 'schema');
const targets = [
  { schema: 'directive.schema.json', out: 'directive.generated.ts' },
  { schema: 'registry.schema.json', out: 'registry.generated.ts' },
];

async function generate(schemaFile: string): Promise<string> {
  const schema = JSON.parse(await readFile(join(schemaDir, schemaFile), 'utf8')) as JSONSchema;
  const banner = `/* eslint-disable */\n// GENERATED from compiler/schema/${schemaFile} by scripts/gen-types.ts — do not edit; run \`npm run gen:types\`.\n`;
  return compile(schema, schema.title ?? 'Root', {
    bannerComment: banner,
    cwd: schemaDir,
    additionalProperties: false,
    unreachableDefinitions: false,
    format: true,
    style: { singleQuote: true, printWidth: 120 },
  });
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const t of targets) {
    const outPath = join(schemaDir, t.out);
    const fresh = await generate(t.schema);
    if (check) {
      const current = await readFile(outPath, 'utf8').catch(() => null);
      if (current !== fresh) stale.push(relative(root, outPath));
    } else {
      await writeFile(outPath, fresh);
      process.stdout.write(`wrote ${relative(root, outPath)}\n`);
    }
  }
  if (stale.length > 0) {
    process.stderr.write(
      `gen-types: ${stale.join(', ')} ${stale.length === 1 ? 'is' : 'are'} out of date with the JSON Schema.\n` +
        `  → run \`npm run gen:types\` and commit the result.\n`,
    );
    return 1;
  }
  if (check) process.stdout.write('gen-types: generated types are up to date.\n');
  return 0;
}

process.exitCode = await main();
