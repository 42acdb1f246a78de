import { describe, expect, it } from 'vitest';
import { pollUnits, postUnits } from '../../../bench/capacity-units.js';
import type { CapturedCall } from '../../../bench/consumed-capacity.js';
import { itemSize } from '../../../bench/dynamo-units.js';

const tables = { comments: 'local-CommentsTable', control: 'local-ControlTable' };
const comment = { pk: 'room#r#0', sk: '01ABC', id: '01ABC', text: 'hello', expiresAt: 1795386683 };
const idempotency = { pk: 'idem#r#c1#u1', sk: 'idem', shard: 0, expiresAt: 1795386683 };

function transaction(units: { comments: number; control: number }): CapturedCall {
  return {
    command: 'transactWrite',
    input: {
      TransactItems: [
        { Put: { TableName: tables.control, Item: idempotency } },
        { Put: { TableName: tables.comments, Item: comment } },
      ],
    },
    items: [],
    consumed: [
      { TableName: tables.control, CapacityUnits: units.control },
      { TableName: tables.comments, CapacityUnits: units.comments },
    ],
  };
}

function query(pk: string, items: Record<string, unknown>[], units: number): CapturedCall {
  return {
    command: 'query',
    input: { ExpressionAttributeValues: { ':pk': pk, ':from': '0' } },
    items,
    consumed: [{ TableName: tables.comments, CapacityUnits: units }],
  };
}

describe('postUnits', () => {
  it('averages the units per post, splits them by table and compares them with 2 × 2 WCU', () => {
    const units = postUnits(
      [transaction({ comments: 2, control: 2 }), transaction({ comments: 4, control: 2 })],
      tables,
    );

    expect(units).toMatchObject({
      posts: 2,
      measured: 5,
      commentsTable: 3,
      controlTable: 2,
      minimum: 4,
      ratio: 1.25,
      itemBytes: { comment: itemSize(comment), idempotency: itemSize(idempotency) },
    });
  });
});

describe('pollUnits', () => {
  const full = Array.from({ length: 201 }, (_, i) => ({
    ...comment,
    sk: `01ABC${i}`,
    text: 'x'.repeat(180),
  }));

  it("sums the room's shard queries, keeps the global feed's apart, and compares with 0.5 RCU per 4 KB", () => {
    const calls = [
      query('room#r#0', full, 6),
      query('room#r#1', full, 6),
      query('room#*#0', [], 0),
      { ...query('x', [], 0), command: 'get' as const },
    ];
    const bytes = full.reduce((sum, item) => sum + itemSize(item), 0);
    const minimumPerShard = 0.5 * Math.ceil(bytes / 4096);

    const units = pollUnits('r', 2, calls);

    expect(units).toMatchObject({ shards: 2, measured: 12, measuredPerShard: 6, globalQuery: 0 });
    expect(units.minimum).toBe(2 * minimumPerShard);
    expect(units.bytesPerShard).toBe(bytes);
  });

  it('refuses a poll that did not query every shard', () => {
    expect(() => pollUnits('r', 4, [query('room#r#0', full, 6)])).toThrow(/1 of the room's 4 shards/);
  });
});
