import type { ApiEvent } from '../http.js';
import { queryParam } from './operation.js';
import { Cursor, DEFAULT_PAGE_SIZE, Limit } from '../../admin-api.js';

/** `?limit=&cursor=` of a listing. */
export function pageQuery(event: ApiEvent): { limit: number; cursor?: string } {
  const limit = queryParam(event, 'limit', Limit) ?? DEFAULT_PAGE_SIZE;
  const cursor = queryParam(event, 'cursor', Cursor);
  return { limit, ...(cursor !== undefined ? { cursor } : {}) };
}
