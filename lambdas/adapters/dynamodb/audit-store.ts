import {
  AuditEntry,
  scopeOf,
  type AuditLog,
  type AuditPage,
  type AuditScope,
} from '../../domain/access/audit.js';
import { BadRequestError } from '../../domain/errors.js';
import type { DynamoClient } from './client.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { transientAsUnavailable } from './errors.js';
import { auditPartition } from './keys.js';

/** The audit log in the control table: one partition per scope, sorted by entry id (ULID). */
export class DynamoAuditStore implements AuditLog {
  constructor(
    private readonly db: DynamoClient,
    private readonly tableName: string,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    const item = AuditEntry.parse(entry);
    await transientAsUnavailable(() =>
      this.db.put({
        TableName: this.tableName,
        Item: { pk: auditPartition(scopeKeyOf(scopeOf(item))), sk: item.id, ...item },
        // Entry ids are ULIDs; a collision would be a bug, never an overwrite.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async list(scope: AuditScope, limit: number, cursor?: string): Promise<AuditPage> {
    const start = decodeCursor(cursor, ['pk', 'sk']);
    const pk = auditPartition(scopeKeyOf(scope));
    if (start && start.pk !== pk) {
      throw new BadRequestError('invalid_cursor', 'The cursor belongs to another audit log.');
    }
    const out = await transientAsUnavailable(() =>
      this.db.query({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const entries = (out.Items ?? []).map(({ pk: _pk, sk: _sk, ...rest }) => AuditEntry.parse(rest));
    const next = encodeCursor(out.LastEvaluatedKey);
    return { entries, ...(next ? { nextCursor: next } : {}) };
  }
}

function scopeKeyOf(scope: AuditScope): string {
  if (scope === 'global') return 'global';
  return 'roomId' in scope ? `room#${scope.roomId}` : `channel#${scope.channelId}`;
}
