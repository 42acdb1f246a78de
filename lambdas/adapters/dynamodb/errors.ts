import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { UnavailableError } from '../../domain/errors.js';

const TRANSIENT = [
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionConflictException,
];

/** Runs a DynamoDB call; failures the caller may retry become a 503 `UnavailableError`. */
export async function transientAsUnavailable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (TRANSIENT.some((type) => error instanceof type)) {
      throw new UnavailableError('The comment store is busy; retry shortly.', error);
    }
    throw error;
  }
}
