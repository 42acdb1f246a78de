import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AppSyncPublisher } from '../../adapters/appsync-publisher.js';
import { CloudFrontInvalidator, LocalEdgeInvalidator } from '../../adapters/cloudfront-invalidator.js';
import { DynamoAuditStore } from '../../adapters/dynamodb/audit-store.js';
import { logger } from '../../adapters/logger.js';
import { metrics } from '../../adapters/metrics.js';
import type { EdgeInvalidator } from '../../domain/feed/ports.js';
import type { RealtimePublisher } from '../../domain/realtime/ports.js';
import type { RoomEvent } from '../../domain/realtime/room-event.js';
import { config, doc } from '../deps.js';

/**
 * What every admin operation shares, built on first use and reused by the
 * function instance: the publisher, the edge, the audit log.
 */
let publisherInstance: RealtimePublisher | undefined;
export function publisher(): RealtimePublisher {
  if (!config.REALTIME_GRAPHQL_URL) {
    throw new Error('REALTIME_GRAPHQL_URL is not set: the admin function cannot publish events.');
  }
  publisherInstance ??= new AppSyncPublisher({
    graphqlUrl: config.REALTIME_GRAPHQL_URL,
    region: process.env.AWS_REGION ?? 'us-east-1',
    metrics,
  });
  return publisherInstance;
}

/** A failed push is logged: the event is persisted, and the poll path carries it. */
export const onPublishFailed = (event: RoomEvent, error: unknown) =>
  logger.warn('realtime publish failed; the poll path still carries the event', {
    kind: event.kind,
    roomId: event.roomId,
    error: error as Error,
  });

export const onInvalidateFailed = (paths: readonly string[], error: unknown) =>
  logger.warn('edge invalidation failed', { paths, error: error as Error });

export interface EdgeSettings {
  /** What players use: https://<distribution>.cloudfront.net, or the local edge. */
  readonly url: string;
  /** CloudFront only. */
  readonly distributionId?: string;
}

let edgeSettingsPromise: Promise<EdgeSettings> | undefined;
/** The CDN's URL and id: from `LOCAL_EDGE_URL` locally, else from the SSM parameter CDK writes. */
export function edgeSettings(): Promise<EdgeSettings> {
  edgeSettingsPromise ??= loadEdgeSettings().catch((error: unknown) => {
    edgeSettingsPromise = undefined; // try again on the next call
    throw error;
  });
  return edgeSettingsPromise;
}

async function loadEdgeSettings(): Promise<EdgeSettings> {
  if (config.LOCAL_EDGE_URL) return { url: config.LOCAL_EDGE_URL };
  if (!config.EDGE_PARAMETER_NAME) throw new Error('Neither LOCAL_EDGE_URL nor EDGE_PARAMETER_NAME is set.');
  const { Parameter } = await new SSMClient({}).send(
    new GetParameterCommand({ Name: config.EDGE_PARAMETER_NAME }),
  );
  const value = JSON.parse(Parameter?.Value ?? '{}') as Partial<EdgeSettings>;
  if (typeof value.url !== 'string' || typeof value.distributionId !== 'string') {
    throw new Error(`SSM parameter ${config.EDGE_PARAMETER_NAME} lacks url or distributionId.`);
  }
  return { url: value.url, distributionId: value.distributionId };
}

/** Invalidates at CloudFront in AWS, at the local edge locally. */
export const edge: EdgeInvalidator = {
  async invalidate(paths, reference) {
    const settings = await edgeSettings();
    const target = settings.distributionId
      ? new CloudFrontInvalidator(settings.distributionId)
      : new LocalEdgeInvalidator(settings.url);
    await target.invalidate(paths, reference);
  },
};

export const auditLog = new DynamoAuditStore(doc, config.CONTROL_TABLE_NAME);
