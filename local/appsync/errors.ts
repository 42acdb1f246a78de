/**
 * AppSync's error shapes: resolver errors carry their type, data and info
 * through graphql-js as a field error's original error; HTTP responses give
 * path and locations, realtime `start` refusals type and message only.
 */

import type { GraphQLError } from 'graphql';
import type { ResolverError } from './utils-runtime.js';

/** One entry of a response's `errors`, shaped as AppSync shapes them. */
export interface AppSyncError {
  readonly message: string;
  readonly errorType?: string;
  readonly errorCode?: number;
  readonly path?: readonly (string | number)[] | null;
  readonly locations?: readonly { line: number; column: number; sourceName: null }[] | null;
  readonly data?: unknown;
  readonly errorInfo?: unknown;
}

/** A field error carrying AppSync's error attributes through graphql-js. */
export class FieldError extends Error {
  constructor(
    message: string,
    readonly errorType: string,
    readonly data: unknown = null,
    readonly errorInfo: unknown = null,
  ) {
    super(message);
  }
}

export const fieldError = ({ message, errorType, data, errorInfo }: ResolverError) =>
  new FieldError(message, errorType ?? 'Code', data ?? null, errorInfo ?? null);

export const unauthorized = (typeName: string, fieldName: string) =>
  new FieldError(`Not Authorized to access ${fieldName} on type ${typeName}`, 'Unauthorized');

/** An error of an HTTP response: path and locations, and AppSync's attributes for resolver errors. */
export function httpError(error: GraphQLError): AppSyncError {
  const original = error.originalError;
  const located = {
    path: error.path ?? null,
    locations: error.locations?.map((l) => ({ ...l, sourceName: null })) ?? null,
  };
  if (original instanceof FieldError) {
    const { data, errorType, errorInfo, message } = original;
    return { ...located, data, errorType, errorInfo, message };
  }
  return { ...located, errorType: original ? 'Code' : 'ValidationError', message: error.message };
}

/** An error of a realtime `start`: type and message only. */
export const startError = (error: GraphQLError): AppSyncError => ({
  errorType: error.originalError instanceof FieldError ? error.originalError.errorType : 'ValidationError',
  message: error.message,
});
