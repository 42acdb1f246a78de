/**
 * What DynamoDB bills for an item and a request, from its documented sizing
 * rules (DynamoDB Developer Guide, "Item sizes and formats" and "Read/write
 * capacity mode"): the minimum the design's reads and writes must cost.
 */

/** One write unit covers an item up to 1 KB; transactional writes cost two per KB (DynamoDB capacity docs). */
export const WRITE_UNIT_BYTES = 1024;
export const TRANSACTIONAL_WRITE_UNITS_PER_KB = 2;
/** One read unit covers 4 KB strongly consistent, or twice that eventually consistent: 0.5 unit per 4 KB. */
export const READ_UNIT_BYTES = 4096;
export const EVENTUALLY_CONSISTENT_UNITS_PER_4KB = 0.5;

/**
 * An item's size as DynamoDB counts it: each attribute name's UTF-8 bytes plus
 * its value (strings: UTF-8 bytes; numbers: 1 byte per two significant digits
 * + 1; booleans and null: 1; lists and maps: 3 + 1 per element + the elements).
 */
export function itemSize(item: Readonly<Record<string, unknown>>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    size += utf8(name) + valueSize(value);
  }
  return size;
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(value);
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, v) => sum + 1 + valueSize(v), 0);
  if (value instanceof Set) return [...value].reduce<number>((sum, v) => sum + valueSize(v), 0);
  if (typeof value === 'object') {
    let size = 3;
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) size += 1 + utf8(name) + valueSize(v);
    }
    return size;
  }
  throw new TypeError(`No DynamoDB size for a ${typeof value}.`);
}

function numberSize(value: number | bigint): number {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`${value} is not storable.`);
  // Significant digits: no sign, point or exponent; leading and trailing zeros trimmed.
  const digits = String(value)
    .replace(/^-/, '')
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** Write units of one transaction: each item rounded up to whole KB, twice. */
export function transactionalWriteUnits(itemSizes: readonly number[]): number {
  return itemSizes.reduce(
    (sum, size) => sum + TRANSACTIONAL_WRITE_UNITS_PER_KB * Math.max(1, Math.ceil(size / WRITE_UNIT_BYTES)),
    0,
  );
}

/**
 * Read units of one eventually consistent Query: the items' total size
 * rounded up to 4 KB, half a unit each, at least half a unit per request.
 * (That an empty Query still costs the half unit is *unverified*: DynamoDB
 * Local reports 0 for it.)
 */
export function eventuallyConsistentQueryUnits(itemSizes: readonly number[]): number {
  const total = itemSizes.reduce((a, b) => a + b, 0);
  return EVENTUALLY_CONSISTENT_UNITS_PER_4KB * Math.max(1, Math.ceil(total / READ_UNIT_BYTES));
}
