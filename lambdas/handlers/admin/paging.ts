import * as z from 'zod';
import type { ApiEvent } from '../http.js';
import { queryParam } from './operation.js';

/** Pages of admin listings: 50 items unless asked, at most 100. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export const Limit = z
  .string()
  .regex(/^\d{1,4}$/, `a whole number from 1 to ${MAX_PAGE_SIZE}`)
  .transform(Number)
  .pipe(z.number().min(1).max(MAX_PAGE_SIZE, `at most ${MAX_PAGE_SIZE}`))
  .optional();

/** Opaque: the store checks it (400 invalid_cursor); here only its size. */
export const Cursor = z.string().min(1).max(2048).optional();

/** `?limit=&cursor=` of a listing. */
export function pageQuery(event: ApiEvent): { limit: number; cursor?: string } {
  const limit = queryParam(event, 'limit', Limit) ?? DEFAULT_PAGE_SIZE;
  const cursor = queryParam(event, 'cursor', Cursor);
  return { limit, ...(cursor !== undefined ? { cursor } : {}) };
}
