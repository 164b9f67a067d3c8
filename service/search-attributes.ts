import type { Client, Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';

// temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD (@temporalio/proto is not a
// direct dependency; the number is part of the wire format and never changes).
const KEYWORD = 2;
const NAMES = Object.values(SEARCH_ATTRIBUTES).map((k) => k.name);

/**
 * Máy chủ có đủ bốn thuộc tính tìm kiếm của chithi (kiểu Keyword) không; hỏi một lần mỗi client.
 * Whether the server has all four of chithi's search attributes, as Keyword, in the namespace;
 * asked once per client. A server that cannot say (the time-skipping test server has no operator
 * service) or lacks one gets none: starting a workflow with an unknown attribute is refused.
 */
const known = new WeakMap<Client, Promise<boolean>>();

export function hasChithiSearchAttributes(client: Client): Promise<boolean> {
  let answer = known.get(client);
  if (!answer) {
    answer = listCustom(client.connection as Connection, client.options.namespace).then(
      (custom) => NAMES.every((n) => custom[n] === KEYWORD),
      () => false,
    );
    known.set(client, answer);
  }
  return answer;
}

async function listCustom(connection: Connection, namespace: string): Promise<Record<string, number>> {
  const r = await connection.operatorService.listSearchAttributes({ namespace });
  return Object.fromEntries(Object.entries(r.customAttributes ?? {}).map(([k, v]) => [k, Number(v)]));
}

/**
 * Đăng ký bốn thuộc tính (`npm run cluster`; cụm tự quản). Temporal Cloud đăng ký qua giao diện
 * hoặc tcld, không qua lời gọi này.
 * Registers the four attributes in a namespace (`npm run cluster`, a self-hosted cluster); those
 * already there are left alone. Temporal Cloud takes them in its UI or `tcld`, not through this call.
 */
export async function registerChithiSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const custom = await listCustom(connection, namespace);
  const missing = NAMES.filter((n) => custom[n] === undefined);
  if (missing.length > 0) {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing.map((n) => [n, KEYWORD])) });
  }
  return missing;
}

/** `--search-attribute` values for `temporal server start-dev` (`npm start`). */
export const DEV_SERVER_SEARCH_ATTRIBUTES: string[] = NAMES.map((n) => `${n}=Keyword`);
