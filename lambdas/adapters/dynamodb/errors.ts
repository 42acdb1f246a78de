import { UnavailableError } from '../../domain/errors.js';
import { TransientDynamoError } from './client.js';

/** Runs a DynamoDB call; failures the caller may retry become a 503 `UnavailableError`. */
export async function transientAsUnavailable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TransientDynamoError) {
      throw new UnavailableError('The comment store is busy; retry shortly.', error);
    }
    throw error;
  }
}
