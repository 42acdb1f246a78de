import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { BadRequestError } from '../../domain/errors.js';

/**
 * Page cursors: DynamoDB's LastEvaluatedKey as base64url JSON. Opaque to
 * clients; on the way back it must be an object of strings and numbers with
 * the keys the query expects, or the request gets 400 `invalid_cursor`.
 */
export function encodeCursor(key: Record<string, NativeAttributeValue> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

export function decodeCursor(
  cursor: string | undefined,
  expectedKeys: readonly string[],
): Record<string, string | number> | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => new BadRequestError('invalid_cursor', 'The cursor is not one this API gave out.');
  if (cursor.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid();
  const entries = Object.entries(value);
  if (
    entries.length !== expectedKeys.length ||
    !expectedKeys.every((k) => Object.hasOwn(value, k)) ||
    !entries.every(([, v]) => typeof v === 'string' || typeof v === 'number')
  ) {
    throw invalid();
  }
  return value as Record<string, string | number>;
}
