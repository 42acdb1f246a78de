import { CfnOutput, type Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RealtimeEndpoints } from './constructs/chat-function.js';
import { RealtimeApi } from './constructs/realtime-api.js';
import { assertStage, type Stage, stageSettings } from './stage-config.js';

export interface RealtimeStackProps extends StackProps {
  readonly stage: Stage;
  /**
   * @default DEFAULT_API_KEY_EXPIRY (364 days after the synth; see `RealtimeApiProps.apiKeyExpiry`)
   */
  readonly apiKeyExpiry?: Duration;
  /**
   * @default DEFAULT_API_KEYS (see `RealtimeApiProps.apiKeys` for rotation)
   */
  readonly apiKeys?: readonly string[];
}

/**
 * The realtime path (ARCHITECTURE §6): the AppSync GraphQL API that pushes rare, urgent room events
 * to viewers. Its own stack: it shares no resource with the request path, deploys and rolls back
 * on its own, and what publishes to it later (the admin API) receives `realtime.publishPolicy`.
 */
export class RealtimeStack extends Stack {
  readonly realtime: RealtimeApi;

  constructor(scope: Construct, id: string, props: RealtimeStackProps) {
    super(scope, id, props);
    assertStage(props.stage, `RealtimeStack ${id}`);
    const settings = stageSettings(props.stage);

    this.realtime = new RealtimeApi(this, 'Realtime', {
      introspection: settings.graphqlIntrospection,
      logRetention: settings.logRetention,
      logRemovalPolicy: settings.removalPolicy,
      ...(props.apiKeyExpiry ? { apiKeyExpiry: props.apiKeyExpiry } : {}),
      ...(props.apiKeys ? { apiKeys: props.apiKeys } : {}),
    });

    // Every key's value is exported whether or not the Api stack uses it yet. Otherwise a rotation
    // (ADR 0009) would fail: the deploy that makes the new key current would remove the export of
    // the old one while the deployed Api stack still imports it. The key value is not a secret.
    for (const key of this.realtime.apiKeys) this.exportValue(key.attrApiKeyId);

    new CfnOutput(this, 'GraphqlUrl', {
      description: 'AppSync GraphQL endpoint (HTTPS): the backend publishes here with IAM.',
      value: this.realtime.api.graphqlUrl,
    });
    new CfnOutput(this, 'RealtimeUrl', {
      description: 'AppSync realtime endpoint (WebSocket): players subscribe here with the API key.',
      value: this.realtime.realtimeUrl,
    });
    new CfnOutput(this, 'ApiKeyId', {
      description: 'The API key players subscribe with (the newest key; AppSync key ids are the keys).',
      value: this.realtime.currentApiKey.attrApiKeyId,
    });
    new CfnOutput(this, 'ApiKeyExpires', {
      description: 'When the API keys lapse unless this stack is deployed again (ADR 0009).',
      value: this.realtime.apiKeyExpiration.date.toISOString(),
    });
  }

  /**
   * What the admin function needs (the Api stack imports these). The key is `attrApiKeyId`, the
   * value players send as `x-api-key`, as the `ApiKeyId` output documents (ADR 0009).
   */
  get endpoints(): RealtimeEndpoints {
    return {
      graphqlUrl: this.realtime.api.graphqlUrl,
      realtimeUrl: this.realtime.realtimeUrl,
      apiKey: this.realtime.currentApiKey.attrApiKeyId,
      apiId: this.realtime.api.apiId,
      publishPolicy: this.realtime.publishPolicy,
    };
  }
}
