/**
 * Bộ kiểm tra JSON Schema của chithi (chỉ thị, danh mục đơn vị, lịch), khai báo một lần: tệp schema
 * và tùy chọn ajv. Chạy từ bản dựng dist/ thì dùng bộ kiểm tra đã biên dịch sẵn lúc dựng; chạy từ
 * mã nguồn thì biên dịch lúc dùng.
 * chithi's JSON Schema validators (directive, unit registry, calendar), declared once: the schema
 * file and ajv's options. From the build in dist/, the validators precompiled by that build
 * (ajv standalone code, dist/validators/<name>.cjs) are used; from the sources, they are compiled
 * when first used.
 *
 * Why: compiling them at run time was most of a one-shot `chithi validate` (ajv compiled the
 * directive and registry schemas plus the 2020-12 meta-schema it checks them against: ~300 of
 * the ~700 ms of `chithi validate directives/hanoi-3968-2022.yaml` from dist/). A precompiled
 * validator is the same generated code ajv would have built, so its errors are the same.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ajv2020, Options, ValidateFunction } from 'ajv/dist/2020.js';
import type * as AjvModule from 'ajv/dist/2020.js';
import { ROOT } from '../common/root.js';

export type ValidatorName = 'directive' | 'registry' | 'calendar';

interface ValidatorSpec {
  /** The schema, from the project root. */
  schema: string;
  options: Options;
}

export const VALIDATORS: Readonly<Record<ValidatorName, ValidatorSpec>> = {
  // allErrors and verbose: every problem is reported at once, with the schema it broke (messages).
  directive: { schema: 'compiler/schema/directive.schema.json', options: { allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true } },
  registry: { schema: 'compiler/schema/registry.schema.json', options: { allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true } },
  // A calendar is data we ship: its first error is enough.
  calendar: { schema: 'compiler/calendar/calendar.schema.json', options: { allErrors: false, strict: true, strictRequired: false } },
};

const requireCjs = createRequire(import.meta.url);
const HERE = fileURLToPath(import.meta.url);
/** dist/validators/, when this module runs from dist/; undefined from the sources. */
const PRECOMPILED = HERE.startsWith(join(ROOT, 'dist') + sep) ? join(ROOT, 'dist', 'validators') : undefined;

function newAjv(name: ValidatorName, source = false): Ajv2020 {
  // ajv is CommonJS: required only when a validator is compiled, not when a precompiled one is used
  // (loading ajv's compiler is ~30 ms of a start-up).
  const { Ajv2020 } = requireCjs('ajv/dist/2020.js') as typeof AjvModule;
  return new Ajv2020({ ...VALIDATORS[name].options, ...(source ? { code: { source: true } } : {}) });
}

function readSchema(name: ValidatorName): object {
  return JSON.parse(readFileSync(join(ROOT, VALIDATORS[name].schema), 'utf8')) as object;
}

/** The validator of a schema: precompiled by the build when running from dist/, else compiled now. */
export function loadValidator<T = unknown>(name: ValidatorName): ValidateFunction<T> {
  const file = PRECOMPILED && join(PRECOMPILED, `${name}.cjs`);
  if (file && existsSync(file)) return requireCjs(file) as ValidateFunction<T>;
  return newAjv(name).compile<T>(readSchema(name));
}

/**
 * Each validator as a CommonJS module (ajv standalone code), for scripts/build.mjs to write into
 * dist/validators/. Its requires (ajv's small runtime helpers) resolve from there to node_modules.
 */
export function precompiledValidators(): Record<ValidatorName, string> {
  const { default: standaloneCode } = requireCjs('ajv/dist/standalone/index.js') as { default: (ajv: Ajv2020, validate: ValidateFunction) => string };
  const out = {} as Record<ValidatorName, string>;
  for (const name of Object.keys(VALIDATORS) as ValidatorName[]) {
    const ajv = newAjv(name, true);
    out[name] = standaloneCode(ajv, ajv.compile(readSchema(name)));
  }
  return out;
}
