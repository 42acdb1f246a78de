/**
 * AppSync's enhanced subscription filters: `util.transform.toSubscriptionFilter`
 * (object form → `{ filterGroup: [{ filters: [...] }] }`) and the evaluator the
 * local endpoint applies to each published event. Filters in a group are
 * AND-ed; groups are OR-ed.
 */

export const FILTER_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'in',
  'notIn',
  'between',
  'contains',
  'notContains',
  'containsAny',
  'beginsWith',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

type Scalar = string | number | boolean | null;

export interface FilterEntry {
  readonly fieldName: string;
  readonly operator: FilterOperator;
  readonly value: Scalar | readonly Scalar[];
}
export interface FilterGroup {
  readonly filters: readonly FilterEntry[];
}
export interface SubscriptionFilter {
  readonly filterGroup: readonly FilterGroup[];
}

const isOperator = (name: string): name is FilterOperator =>
  (FILTER_OPERATORS as readonly string[]).includes(name);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A filter as a list of groups (disjunctive normal form): OR of groups, AND inside each. */
type Groups = FilterEntry[][];

/** The AND of several disjunctions: every combination of one group from each. */
function crossProduct(parts: Groups[]): Groups {
  return parts.reduce<Groups>(
    (acc, part) => acc.flatMap((left) => part.map((right) => [...left, ...right])),
    [[]],
  );
}

function fieldFilters(fieldName: string, operations: unknown): FilterEntry[] {
  if (!isPlainObject(operations)) {
    throw new TypeError(`Subscription filter on "${fieldName}" must be an object of operators.`);
  }
  return Object.entries(operations).map(([operator, value]) => {
    if (!isOperator(operator)) {
      throw new TypeError(`Unsupported subscription filter operator "${operator}" on "${fieldName}".`);
    }
    return { fieldName, operator, value: value as FilterEntry['value'] };
  });
}

function objectToGroups(filter: unknown, ignoredFields: ReadonlySet<string>): Groups {
  if (!isPlainObject(filter)) throw new TypeError('A subscription filter object is required.');
  const parts: Groups[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (ignoredFields.has(key) || value === undefined) continue;
    if (key === 'or' || key === 'and') {
      const items = Array.isArray(value) ? value : [value];
      const converted = items.map((item) => objectToGroups(item, ignoredFields));
      // `or`: any one item; `and`: every item.
      parts.push(key === 'or' ? converted.flat() : crossProduct(converted));
    } else {
      parts.push([fieldFilters(key, value)]);
    }
  }
  return crossProduct(parts).filter((group) => group.length > 0);
}

/**
 * `util.transform.toSubscriptionFilter(objFilter, ignoredFields?, rules?)`.
 * Fields at one level are AND-ed (one group); `or: [a, b]` makes alternative
 * groups, `and: [a, b]` requires both (distributed over their own `or`s).
 * `ignoredFields` are dropped from the object; `rules` (a flat object of field
 * operators) are added so that at least one rule must hold.
 */
export function toSubscriptionFilter(
  objFilter: unknown,
  ignoredFields: readonly string[] = [],
  rules?: Record<string, unknown>,
): SubscriptionFilter {
  let groups = objectToGroups(objFilter, new Set(ignoredFields));
  if (rules && Object.keys(rules).length > 0) {
    const alternatives: Groups = Object.entries(rules).flatMap(([field, ops]) =>
      fieldFilters(field, ops).map((entry) => [entry]),
    );
    groups = crossProduct([groups.length > 0 ? groups : [[]], alternatives]);
  }
  return { filterGroup: groups.map((filters) => ({ filters })) };
}

/** Checks a filter passed to `extensions.setSubscriptionFilter`; throws a readable error when malformed. */
export function assertSubscriptionFilter(filter: unknown): asserts filter is SubscriptionFilter {
  if (!isPlainObject(filter) || !Array.isArray(filter.filterGroup)) {
    throw new TypeError('A subscription filter is { filterGroup: [{ filters: [...] }] }.');
  }
  if (filter.filterGroup.length === 0) throw new TypeError('A subscription filter needs at least one group.');
  for (const group of filter.filterGroup as unknown[]) {
    if (!isPlainObject(group) || !Array.isArray(group.filters)) {
      throw new TypeError('Each filter group is { filters: [{ fieldName, operator, value }] }.');
    }
    for (const entry of group.filters as unknown[]) {
      if (
        !isPlainObject(entry) ||
        typeof entry.fieldName !== 'string' ||
        typeof entry.operator !== 'string'
      ) {
        throw new TypeError('Each filter is { fieldName, operator, value }.');
      }
      if (!isOperator(entry.operator)) {
        throw new TypeError(`Unsupported subscription filter operator "${entry.operator}".`);
      }
    }
  }
}

/** `a.b.c` reads nested fields of the event. */
function fieldValue(event: Record<string, unknown>, fieldName: string): unknown {
  let value: unknown = event;
  for (const part of fieldName.split('.')) {
    if (!isPlainObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
}

/** Ordering only between two numbers or two strings, as AppSync compares values of one type. */
function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function contains(field: unknown, value: unknown): boolean {
  if (typeof field === 'string') return typeof value === 'string' && field.includes(value);
  if (Array.isArray(field)) return field.some((item) => equal(item, value));
  return false;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

export function matchesEntry(entry: FilterEntry, event: Record<string, unknown>): boolean {
  const field = fieldValue(event, entry.fieldName) ?? null;
  const { value } = entry;
  const ordered = (test: (order: number) => boolean) => {
    const order = compare(field, value);
    return order !== undefined && test(order);
  };
  switch (entry.operator) {
    case 'eq':
      return equal(field, value);
    case 'ne':
      return !equal(field, value);
    case 'gt':
      return ordered((o) => o > 0);
    case 'ge':
      return ordered((o) => o >= 0);
    case 'lt':
      return ordered((o) => o < 0);
    case 'le':
      return ordered((o) => o <= 0);
    case 'in':
      return list(value).some((v) => equal(field, v));
    case 'notIn':
      return !list(value).some((v) => equal(field, v));
    case 'between': {
      const [low, high] = list(value);
      const fromLow = compare(field, low);
      const toHigh = compare(field, high);
      return fromLow !== undefined && toHigh !== undefined && fromLow >= 0 && toHigh <= 0;
    }
    case 'contains':
      return contains(field, value);
    case 'notContains':
      return !contains(field, value);
    case 'containsAny':
      return list(value).some((v) => contains(field, v));
    case 'beginsWith':
      return typeof field === 'string' && typeof value === 'string' && field.startsWith(value);
  }
}

/** True when some group has every one of its filters satisfied by the event. */
export function matchesFilter(filter: SubscriptionFilter, event: Record<string, unknown>): boolean {
  return filter.filterGroup.some((group) => group.filters.every((entry) => matchesEntry(entry, event)));
}
