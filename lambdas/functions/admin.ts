/**
 * The admin function in AWS: settings parsed once at cold start; the stores, the audit log and
 * the publisher made once per instance and shared by every operation; the AWS clients it needs
 * only for some routes (AppSync, CloudFront, CloudWatch, Scheduler, Lambda) made on first use.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { adminStores } from '../adapters/admin-stores.js';
import { AppSyncPublisher } from '../adapters/appsync-publisher.js';
import { LambdaScalerInvoker } from '../adapters/capacity/lambda-scaler-invoker.js';
import { EventBridgeScheduleStore } from '../adapters/capacity/scheduler-store.js';
import { CloudFrontInvalidator } from '../adapters/cloudfront-invalidator.js';
import { currentCorrelationId } from '../adapters/correlation.js';
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { SsmEdgeSettings } from '../adapters/edge-settings.js';
import { lambdaOriginGuard } from '../adapters/lambda-origin-guard.js';
import { createLogger } from '../adapters/logger.js';
import { createMetrics } from '../adapters/metrics.js';
import { S3SegmentArchive } from '../adapters/s3/segment-archive.js';
import { CloudWatchTrafficMetrics } from '../adapters/traffic-metrics.js';
import { AdminConfig, capacityWindows, dynamoSettings, parseConfig, tableNames } from '../config.js';
import { createAdminHandler } from '../handlers/admin.js';
import { lazy } from '../lazy.js';
import { SqsJobQueue, sqsSendBatch } from '../adapters/sqs-job-queue.js';

const config = parseConfig(AdminConfig, process.env);
const dynamo = createDynamoClient(dynamoSettings(config));
const edge = new SsmEdgeSettings(config.EDGE_PARAMETER_NAME);

export const handler = createAdminHandler({
  ...adminStores(dynamo, tableNames(config)),
  publisher: lazy(
    () =>
      new AppSyncPublisher({
        graphqlUrl: config.REALTIME_GRAPHQL_URL,
        region: config.AWS_REGION,
        metrics: createMetrics(config.STAGE),
        correlationId: currentCorrelationId,
      }),
  ),
  edge: lazy(() => new CloudFrontInvalidator(edge.distributionId)),
  edgeUrl: edge.url,
  realtimeClient: {
    graphqlUrl: config.REALTIME_CLIENT_GRAPHQL_URL,
    realtimeUrl: config.REALTIME_CLIENT_REALTIME_URL,
    apiKey: config.REALTIME_API_KEY,
  },
  traffic: lazy(
    () =>
      new CloudWatchTrafficMetrics({
        distributionId: edge.distributionId,
        ...(config.REALTIME_API_ID ? { apiId: config.REALTIME_API_ID } : {}),
      }),
  ),
  schedules: lazy(
    () =>
      new EventBridgeScheduleStore(
        {
          groupName: config.SCHEDULE_GROUP_NAME,
          scalerFunctionArn: config.SCALER_FUNCTION_ARN,
          roleArn: config.SCHEDULER_ROLE_ARN,
        },
        new SchedulerClient({}),
      ),
  ),
  scaler: lazy(
    () => new LambdaScalerInvoker(config.SCALER_FUNCTION_ARN, new LambdaClient({}), currentCorrelationId),
  ),
  capacity: {
    ...capacityWindows(config),
    liveCommentLimit: config.LIVE_COMMENT_LIMIT,
    region: config.AWS_REGION,
  },
  retentionDays: config.COMMENT_RETENTION_DAYS,
  limitJobs: lazy(() => {
    if (!config.LIMITS_QUEUE_URL) throw new Error('LIMITS_QUEUE_URL is not set: no view-limit queue.');
    return new SqsJobQueue(sqsSendBatch({ queueUrl: config.LIMITS_QUEUE_URL, region: config.AWS_REGION }));
  }),
  archive: new S3SegmentArchive({ bucket: config.ARCHIVE_BUCKET_NAME, region: config.AWS_REGION }),
  clock: Date.now,
  logger: createLogger(),
  origin: lambdaOriginGuard(config),
});
