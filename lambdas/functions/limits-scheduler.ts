/**
 * The view-limit scheduler in AWS (ADR 0039): settings parsed once at cold start, the plan store
 * and the SQS job queue made once per instance.
 */
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { DynamoPlanStore } from '../adapters/dynamodb/plan-store.js';
import { createLogger } from '../adapters/logger.js';
import { SqsJobQueue, sqsSendBatch } from '../adapters/sqs-job-queue.js';
import { dynamoSettings, LimitsSchedulerConfig, parseConfig } from '../config.js';
import { createLimitsSchedulerHandler } from '../handlers/limits-scheduler.js';

const config = parseConfig(LimitsSchedulerConfig, process.env);

export const handler = createLimitsSchedulerHandler({
  enqueue: {
    plans: new DynamoPlanStore(createDynamoClient(dynamoSettings(config)), config.CONTROL_TABLE_NAME),
    queue: new SqsJobQueue(sqsSendBatch({ queueUrl: config.LIMITS_QUEUE_URL, region: config.AWS_REGION })),
    clock: Date.now,
  },
  logger: createLogger(),
});
