import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { RealtimePublisher } from '../domain/realtime/ports.js';
import { parseRoomEvent, type RoomEvent } from '../domain/realtime/room-event.js';
import { CORRELATION_HEADER } from './correlation.js';

/**
 * The selection set carries every field subscribers filter on (roomId for the
 * argument filter of onRoomEvent and the enhanced filter of onGlobalEvent):
 * AppSync filters and delivers what the mutation selected, nothing more.
 */
export const PUBLISH_MUTATION = /* GraphQL */ `
  mutation Publish($event: RoomEventInput!) {
    publish(event: $event) {
      id
      roomId
      kind
      time
      payload
    }
  }
`;

export interface AppSyncPublisherOptions {
  readonly graphqlUrl: string;
  readonly region: string;
  /** Default: the SDK's provider chain (the function's role in Lambda). */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Per attempt. Default 2,000 ms. */
  readonly timeoutMs?: number;
  /** Default 3. */
  readonly maxAttempts?: number;
  /** First backoff ceiling; doubles per attempt ("full jitter"). Default 100 ms. */
  readonly baseDelayMs?: number;
  /** Counts failed publishes (`RealtimePublishFailed`). */
  readonly metrics?: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>;
  /** The request being handled, sent as `x-correlation-id` (handlers/invocation.ts sets it). */
  readonly correlationId?: () => string | undefined;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** A publish that did not reach AppSync. `retryable`: the same call may succeed later. */
export class PublishError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PublishError';
  }
}

interface GraphqlResponse {
  data?: unknown;
  errors?: { message?: string; errorType?: string }[];
}

/** AppSync answers these when it is busy or failing, not when the request is wrong. */
const RETRYABLE_ERROR_TYPES = new Set([
  'Throttling',
  'ThrottlingException',
  'ServiceUnavailable',
  'InternalFailure',
]);

/**
 * The backend's side of the realtime path: calls the IAM-only `publish`
 * mutation with a SigV4-signed request (the SDK's signer, not a hand-written
 * signature), a timeout per attempt, bounded retries with full jitter on
 * failures worth retrying, and a metric when it gives up.
 */
export class AppSyncPublisher implements RealtimePublisher {
  private readonly url: URL;
  private readonly signer: SignatureV4;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: AppSyncPublisherOptions) {
    this.url = new URL(options.graphqlUrl);
    this.signer = new SignatureV4({
      credentials: options.credentials ?? defaultProvider(),
      region: options.region,
      service: 'appsync',
      sha256: Sha256,
    });
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  async publish(event: RoomEvent): Promise<void> {
    const valid = parseRoomEvent(event);
    const body = JSON.stringify({
      query: PUBLISH_MUTATION,
      variables: { event: { ...valid, payload: JSON.stringify(valid.payload) } },
    });

    const correlationId = this.options.correlationId?.();
    let last: PublishError | undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      last = await this.attempt(body, attempt, correlationId);
      if (!last) return;
      if (!last.retryable || attempt === this.maxAttempts) break;
      await this.sleep(this.random() * this.baseDelayMs * 2 ** (attempt - 1));
    }
    this.options.metrics?.addMetric('RealtimePublishFailed', MetricUnit.Count, 1);
    this.options.metrics?.publishStoredMetrics();
    throw last!;
  }

  /** One signed POST; resolves to the failure, or undefined on success. */
  private async attempt(
    body: string,
    attempt: number,
    correlationId: string | undefined,
  ): Promise<PublishError | undefined> {
    try {
      const signed = await this.signer.sign(
        new HttpRequest({
          method: 'POST',
          protocol: this.url.protocol,
          hostname: this.url.hostname,
          ...(this.url.port ? { port: Number(this.url.port) } : {}),
          path: this.url.pathname,
          headers: {
            host: this.url.host,
            'content-type': 'application/json',
            ...(correlationId ? { [CORRELATION_HEADER]: correlationId } : {}),
          },
          body,
        }),
      );
      const response = await fetch(this.url, {
        method: 'POST',
        headers: signed.headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const result = (await response.json().catch(() => ({}))) as GraphqlResponse;
      const errors = result.errors ?? [];
      if (response.ok && errors.length === 0) return undefined;
      const retryable =
        response.status === 429 ||
        response.status >= 500 ||
        errors.some((e) => RETRYABLE_ERROR_TYPES.has(e.errorType ?? ''));
      const detail = errors.map((e) => `${e.errorType ?? 'Error'}: ${e.message ?? ''}`).join('; ');
      return new PublishError(
        `AppSync answered ${response.status}${detail ? ` (${detail})` : ''}.`,
        retryable,
        attempt,
      );
    } catch (error) {
      // Timeouts and network failures: the event may or may not have gone out; publishing again is safe
      // (subscribers de-duplicate by event id, and the event is persisted already).
      return new PublishError(`Publishing failed: ${(error as Error).message}.`, true, attempt, {
        cause: error,
      });
    }
  }
}
