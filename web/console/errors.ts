import { ApiError } from './api.js';

/** An error as a person needs it: what happened, and what to do about it. */
export interface Explained {
  readonly title: string;
  readonly action: string;
  /** The API's code, shown small, for reports to operators. */
  readonly code?: string;
}

/** Turns any failure of an API call into words; never raw JSON. */
export function explain(error: unknown): Explained {
  if (!(error instanceof ApiError)) {
    return {
      title: 'Something went wrong in the console.',
      action: 'Reload the page. If it happens again, tell the operators what you were doing.',
    };
  }
  const code = error.code;
  if (error.status === 0 && code === 'network') {
    return {
      title: 'The admin API could not be reached.',
      action: 'Check your connection and try again. Nothing was changed.',
      code,
    };
  }
  if (error.status === 0) {
    return { title: error.message, action: 'Correct it and try again. Nothing was sent.', code };
  }
  switch (error.status) {
    case 400:
    case 422:
      return { title: error.message, action: 'Correct it and try again. Nothing was changed.', code };
    case 401:
      return {
        title: 'Your session has ended.',
        action: 'Sign in again; what you typed here is kept.',
        code,
      };
    case 403:
      return {
        title: error.message,
        action: 'Your role or channels do not allow this. Ask an operator if you need it.',
        code,
      };
    case 404:
      return { title: error.message, action: 'It may have been removed. Go back to the list.', code };
    case 409:
      return {
        title: error.message,
        action: 'Someone changed it meanwhile. Review their change, then apply yours again.',
        code,
      };
    case 429:
      return {
        title: 'Too many requests.',
        action: `Wait ${error.retryAfterSec ?? 'a few'} seconds and try again. Nothing was changed.`,
        code,
      };
    default:
      return {
        title: error.retryable ? 'The service is busy or failing right now.' : error.message,
        action: error.retryable
          ? 'Try again in a moment. If it keeps failing, tell the operators the code below.'
          : 'Tell the operators the code below.',
        code,
      };
  }
}
