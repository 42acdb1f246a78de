import { randomBytes } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  type CloudFrontClient,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  type DistributionConfig,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { invocation } from './invocation.js';
import { ORIGIN_HEADER } from '../routes.js';

/** What Secrets Manager invokes a rotation function with, once per step. */
export interface RotationEvent {
  readonly Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
  readonly SecretId: string;
  readonly ClientRequestToken: string;
}

export interface RotationDeps {
  readonly secrets: SecretsManagerClient;
  readonly cloudFront: CloudFrontClient;
  /** The distribution whose origins send the header. */
  readonly distributionId: string;
  /** A new value: 32 random bytes, base64url (header-safe; as strong as the first, generated value). */
  readonly newValue?: () => string;
  /** How long testSecret waits between looks at the distribution's status. Default 15 s. */
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly logger: Logger;
}

export type RotationHandler = (event: RotationEvent, context?: Context) => Promise<void>;

/** Leave this much of the step's time for the error to be reported when the distribution is slow. */
const DEADLINE_MARGIN_MS = 20_000;

/**
 * Rotates the origin secret without downtime (ADR 0030), in Secrets Manager's four steps; every
 * step may be retried and then does nothing twice.
 *
 * - createSecret: a new value as AWSPENDING (kept if this token already has one).
 * - setSecret: CloudFront sends it — the distribution's config as read, with only the origin header
 *   values changed, written back with its ETag. The functions accept AWSPENDING, so the edge
 *   locations that switch first are admitted at once.
 * - testSecret: every origin sends the pending value and the distribution is deployed (waits for
 *   it), so no edge still sends the old value when it stops being current.
 * - finishSecret: AWSCURRENT moves to the new value; Secrets Manager labels the old one
 *   AWSPREVIOUS, which the functions still accept.
 */
export function createRotationHandler(deps: RotationDeps): RotationHandler {
  const newValue = deps.newValue ?? (() => randomBytes(32).toString('base64url'));
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollMs = deps.pollMs ?? 15_000;
  const { secrets, cloudFront, distributionId, logger } = deps;

  const pendingValue = async (event: RotationEvent): Promise<string> => {
    const pending = await secrets.send(
      new GetSecretValueCommand({
        SecretId: event.SecretId,
        VersionId: event.ClientRequestToken,
        VersionStage: 'AWSPENDING',
      }),
    );
    if (!pending.SecretString) throw new Error('The pending version has no SecretString.');
    return pending.SecretString;
  };

  const steps: Record<RotationEvent['Step'], (event: RotationEvent, context?: Context) => Promise<void>> = {
    async createSecret(event) {
      // The current value must exist: a rotation never starts from nothing.
      await secrets.send(new GetSecretValueCommand({ SecretId: event.SecretId, VersionStage: 'AWSCURRENT' }));
      try {
        await pendingValue(event);
        logger.info('pending value exists already', { step: 'createSecret' });
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
        await secrets.send(
          new PutSecretValueCommand({
            SecretId: event.SecretId,
            ClientRequestToken: event.ClientRequestToken,
            SecretString: newValue(),
            VersionStages: ['AWSPENDING'],
          }),
        );
        logger.info('pending value created', { step: 'createSecret' });
      }
    },

    async setSecret(event) {
      const value = await pendingValue(event);
      const { DistributionConfig: config, ETag } = await cloudFront.send(
        new GetDistributionConfigCommand({ Id: distributionId }),
      );
      if (!config || !ETag) throw new Error(`Distribution ${distributionId} returned no config.`);
      const changed = withOriginHeader(config, value);
      if (changed === undefined) {
        logger.info('the distribution sends the pending value already', { step: 'setSecret' });
        return;
      }
      await cloudFront.send(
        new UpdateDistributionCommand({ Id: distributionId, IfMatch: ETag, DistributionConfig: changed }),
      );
      logger.info('the distribution now sends the pending value', { step: 'setSecret' });
    },

    async testSecret(event, context) {
      const value = await pendingValue(event);
      const { DistributionConfig: config } = await cloudFront.send(
        new GetDistributionConfigCommand({ Id: distributionId }),
      );
      if (!config || withOriginHeader(config, value) !== undefined) {
        throw new Error(`Distribution ${distributionId} does not send the pending value on every origin.`);
      }
      const deadline = Date.now() + (context?.getRemainingTimeInMillis() ?? 600_000) - DEADLINE_MARGIN_MS;
      for (;;) {
        const { Distribution } = await cloudFront.send(new GetDistributionCommand({ Id: distributionId }));
        if (Distribution?.Status === 'Deployed') return;
        if (Date.now() + pollMs > deadline) {
          // Secrets Manager reports the failed rotation and the next attempt starts over, idempotently.
          throw new Error(
            `Distribution ${distributionId} is still ${Distribution?.Status}; try the rotation again.`,
          );
        }
        await sleep(pollMs);
      }
    },

    async finishSecret(event) {
      const described = await secrets.send(new DescribeSecretCommand({ SecretId: event.SecretId }));
      const current = Object.entries(described.VersionIdsToStages ?? {}).find(([, stages]) =>
        stages.includes('AWSCURRENT'),
      )?.[0];
      if (current === event.ClientRequestToken) {
        logger.info('the new value is current already', { step: 'finishSecret' });
        return;
      }
      await secrets.send(
        new UpdateSecretVersionStageCommand({
          SecretId: event.SecretId,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: event.ClientRequestToken,
          ...(current ? { RemoveFromVersionId: current } : {}),
        }),
      );
      logger.info('the new value is current', { step: 'finishSecret' });
    },
  };

  return (event, context) =>
    invocation(logger, context, event.ClientRequestToken, async () => {
      const step = steps[event.Step];
      if (!step) throw new Error(`Unknown rotation step ${String(event.Step)}.`);
      const described = await secrets.send(new DescribeSecretCommand({ SecretId: event.SecretId }));
      if (!described.RotationEnabled)
        throw new Error(`Secret ${event.SecretId} does not have rotation enabled.`);
      const stages = described.VersionIdsToStages?.[event.ClientRequestToken];
      if (!stages) throw new Error(`Version ${event.ClientRequestToken} is not a version of the secret.`);
      // A finished rotation invoked again: nothing left to do at any step.
      if (stages.includes('AWSCURRENT') && event.Step !== 'finishSecret') return;
      if (!stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT')) {
        throw new Error(`Version ${event.ClientRequestToken} is not pending rotation.`);
      }
      await step(event, context);
    });
}

/**
 * The config with every origin's `ORIGIN_HEADER` set to `value`, or undefined when every origin
 * that has the header sends it already. Throws when no origin has it: the distribution is not the
 * one this secret locks.
 */
export function withOriginHeader(config: DistributionConfig, value: string): DistributionConfig | undefined {
  let found = false;
  let changed = false;
  const origins = (config.Origins?.Items ?? []).map((origin) => {
    const items = (origin.CustomHeaders?.Items ?? []).map((h) => {
      if (h.HeaderName?.toLowerCase() !== ORIGIN_HEADER) return h;
      found = true;
      if (h.HeaderValue === value) return h;
      changed = true;
      return { ...h, HeaderValue: value };
    });
    return origin.CustomHeaders
      ? { ...origin, CustomHeaders: { ...origin.CustomHeaders, Items: items } }
      : origin;
  });
  if (!found) throw new Error(`No origin of the distribution has the ${ORIGIN_HEADER} header.`);
  if (!changed) return undefined;
  return { ...config, Origins: { ...config.Origins!, Items: origins } };
}
