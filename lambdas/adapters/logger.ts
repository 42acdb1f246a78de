import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';

export type { LogLevel };

/** Powertools' service name; CDK sets POWERTOOLS_SERVICE_NAME to the same (lib/constructs/chat-function.ts). */
export const SERVICE_NAME = 'hybrid-live-chat';

/**
 * The logger of one runtime: a Lambda entry makes one per function instance
 * (level from POWERTOOLS_LOG_LEVEL), the local runtime one for all its
 * functions (level given). Handlers add the Lambda context and the
 * correlation id per invocation (handlers/invocation.ts).
 */
export function createLogger(options: { readonly logLevel?: LogLevel } = {}): Logger {
  return new Logger({
    serviceName: SERVICE_NAME,
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
  });
}
