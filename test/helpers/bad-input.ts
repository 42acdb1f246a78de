import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import type { testStores } from './store.js';

type Stores = ReturnType<typeof testStores>;

/**
 * What both tables hold about one test file's ids: every item whose attributes mention `marker`
 * (the file's room, channel and user ids all carry it), sorted, hashed, and counted. Test files
 * share DynamoDB Local and run at once, so whole-table counts would see each other's writes;
 * the marker keeps this to what the file's own requests could have touched, audit entries included.
 */
export async function tablesSnapshot(stores: Stores, marker: string) {
  const lines: string[] = [];
  for (const table of [stores.tables.comments, stores.tables.control]) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await stores.doc.send(
        new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) {
        const line = JSON.stringify(sorted(item));
        if (line.includes(marker)) lines.push(`${table} ${line}`);
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }
  lines.sort();
  return { count: lines.length, hash: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

/** The JSON error shape every refusal has: a code, a message, and whether to retry. */
export function expectErrorShape(body: unknown, code: string): void {
  expect(body).toMatchObject({ code, message: expect.any(String), retryable: false });
  expect(Object.keys(body as object).sort()).toEqual(['code', 'message', 'retryable']);
}

/** The value with every object's keys in order, so equal items serialise equally. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value instanceof Set) return [...value].map(sorted).sort();
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sorted(v)]),
    );
  }
  return value;
}
