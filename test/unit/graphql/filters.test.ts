import { describe, expect, it } from 'vitest';
import {
  matchesEntry,
  matchesFilter,
  toSubscriptionFilter,
  type FilterEntry,
} from '../../../local/appsync/filters.js';
import { matches } from '../../../local/appsync/subscriptions.js';

const f = (
  fieldName: string,
  operator: FilterEntry['operator'],
  value: FilterEntry['value'],
): FilterEntry => ({
  fieldName,
  operator,
  value,
});

describe('toSubscriptionFilter', () => {
  it('turns one field into one group with one filter', () => {
    expect(toSubscriptionFilter({ roomId: { eq: '*' } })).toEqual({
      filterGroup: [{ filters: [f('roomId', 'eq', '*')] }],
    });
  });

  it('ANDs fields and operators at one level into one group', () => {
    expect(toSubscriptionFilter({ severity: { ge: 3, le: 7 }, kind: { in: ['A', 'B'] } })).toEqual({
      filterGroup: [
        { filters: [f('severity', 'ge', 3), f('severity', 'le', 7), f('kind', 'in', ['A', 'B'])] },
      ],
    });
  });

  it('makes one group per `or` alternative', () => {
    expect(
      toSubscriptionFilter({
        or: [{ severity: { ge: 7 }, priority: { in: ['high', 'medium'] } }, { category: { eq: 'security' } }],
      }),
    ).toEqual({
      filterGroup: [
        { filters: [f('severity', 'ge', 7), f('priority', 'in', ['high', 'medium'])] },
        { filters: [f('category', 'eq', 'security')] },
      ],
    });
  });

  it('distributes fields beside an `or` over its alternatives', () => {
    expect(toSubscriptionFilter({ group: { eq: 'ops' }, or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] })).toEqual({
      filterGroup: [
        { filters: [f('group', 'eq', 'ops'), f('a', 'eq', 1)] },
        { filters: [f('group', 'eq', 'ops'), f('b', 'eq', 2)] },
      ],
    });
  });

  it('merges `and` items into the same group(s)', () => {
    expect(
      toSubscriptionFilter({ and: [{ a: { gt: 1 } }, { or: [{ b: { eq: 'x' } }, { c: { eq: 'y' } }] }] }),
    ).toEqual({
      filterGroup: [
        { filters: [f('a', 'gt', 1), f('b', 'eq', 'x')] },
        { filters: [f('a', 'gt', 1), f('c', 'eq', 'y')] },
      ],
    });
  });

  it('drops ignored fields', () => {
    expect(toSubscriptionFilter({ roomId: { eq: 'demo' }, secret: { eq: 'x' } }, ['secret'])).toEqual({
      filterGroup: [{ filters: [f('roomId', 'eq', 'demo')] }],
    });
  });

  it('adds rules so that at least one of them must hold', () => {
    expect(
      toSubscriptionFilter({ roomId: { eq: 'demo' } }, [], {
        kind: { eq: 'PING' },
        level: { eq: 'critical' },
      }),
    ).toEqual({
      filterGroup: [
        { filters: [f('roomId', 'eq', 'demo'), f('kind', 'eq', 'PING')] },
        { filters: [f('roomId', 'eq', 'demo'), f('level', 'eq', 'critical')] },
      ],
    });
  });

  it('refuses an unknown operator', () => {
    expect(() => toSubscriptionFilter({ roomId: { equals: 'demo' } })).toThrow(/equals/);
  });
});

describe('the filter evaluator', () => {
  const event = {
    roomId: 'demo',
    kind: 'NOTICE',
    severity: 5,
    tags: ['a', 'b'],
    text: 'hello world',
    nested: { n: 2 },
  };

  it.each<[FilterEntry, boolean]>([
    [f('roomId', 'eq', 'demo'), true],
    [f('roomId', 'eq', 'other'), false],
    [f('roomId', 'ne', 'other'), true],
    [f('roomId', 'ne', 'demo'), false],
    [f('severity', 'gt', 4), true],
    [f('severity', 'gt', 5), false],
    [f('severity', 'ge', 5), true],
    [f('severity', 'lt', 5), false],
    [f('severity', 'lt', 6), true],
    [f('severity', 'le', 5), true],
    [f('severity', 'le', 4), false],
    [f('severity', 'gt', '4'), false],
    [f('kind', 'in', ['PING', 'NOTICE']), true],
    [f('kind', 'in', ['PING']), false],
    [f('kind', 'notIn', ['PING']), true],
    [f('kind', 'notIn', ['NOTICE']), false],
    [f('severity', 'between', [5, 9]), true],
    [f('severity', 'between', [1, 4]), false],
    [f('text', 'contains', 'lo wo'), true],
    [f('text', 'contains', 'bye'), false],
    [f('tags', 'contains', 'b'), true],
    [f('tags', 'notContains', 'c'), true],
    [f('tags', 'notContains', 'a'), false],
    [f('tags', 'containsAny', ['x', 'a']), true],
    [f('tags', 'containsAny', ['x', 'y']), false],
    [f('text', 'beginsWith', 'hell'), true],
    [f('text', 'beginsWith', 'world'), false],
    [f('nested.n', 'eq', 2), true],
    [f('missing', 'eq', 'x'), false],
  ])('%j → %s', (entry, expected) => {
    expect(matchesEntry(entry, event)).toBe(expected);
  });

  it('ANDs the filters of a group and ORs the groups', () => {
    const bothInOneGroup = {
      filterGroup: [{ filters: [f('roomId', 'eq', 'demo'), f('kind', 'eq', 'PING')] }],
    };
    const eitherGroup = {
      filterGroup: [{ filters: [f('roomId', 'eq', 'demo')] }, { filters: [f('kind', 'eq', 'PING')] }],
    };

    expect(matchesFilter(bothInOneGroup, event)).toBe(false);
    expect(matchesFilter(eitherGroup, event)).toBe(true);
  });
});

describe('argument-based and enhanced filtering together', () => {
  const globalFilter = toSubscriptionFilter({ roomId: { eq: '*' } });

  it('requires every given argument to equal the event field of that name', () => {
    expect(matches({ args: { roomId: 'a' } }, { roomId: 'a' })).toBe(true);
    expect(matches({ args: { roomId: 'a' } }, { roomId: 'b' })).toBe(false);
    expect(matches({ args: { roomId: 'a' } }, { roomId: '*' })).toBe(false);
  });

  it('requires the enhanced filter as well', () => {
    expect(matches({ args: {}, filter: globalFilter }, { roomId: '*' })).toBe(true);
    expect(matches({ args: {}, filter: globalFilter }, { roomId: 'a' })).toBe(false);
    expect(matches({ args: { roomId: 'a' }, filter: globalFilter }, { roomId: 'a' })).toBe(false);
  });
});
