import { lazyAwsLite, type AwsLite, type AwsLiteConfig } from './aws-lite.js';
import type { OriginSecrets } from '../handlers/origin-guard.js';

/**
 * The labels whose values the API accepts (ADR 0030). AWSPENDING too: during a rotation CloudFront
 * is switched to the pending value (setSecret) before it becomes AWSCURRENT (finishSecret), and
 * edge locations take the new configuration over minutes. AWSPREVIOUS: the value edges sent until then.
 */
export const ACCEPTED_STAGES = ['AWSCURRENT', 'AWSPENDING', 'AWSPREVIOUS'] as const;

export interface SecretsManagerOriginSecretsOptions {
  /** The secret's ARN (`ORIGIN_SECRET_ARN`). */
  readonly secretId: string;
  readonly region: string;
  /** Another endpoint (tests); in AWS the regional one. */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * Reads the origin secret's accepted versions with one raw aws-lite call per label (ADR 0022: the
 * viewer functions already carry aws-lite for DynamoDB; the AWS SDK's Secrets Manager client would
 * add its own copy of the SDK's core to every viewer bundle). A label no version carries
 * (AWSPREVIOUS before the first rotation, AWSPENDING outside one) is simply left out.
 */
export class SecretsManagerOriginSecrets implements OriginSecrets {
  private readonly connect: () => Promise<AwsLite>;

  constructor(private readonly options: SecretsManagerOriginSecretsOptions) {
    this.connect = lazyAwsLite({
      region: options.region,
      ...(options.credentials ?? {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      plugins: [],
      keepAlive: true,
      retries: 2,
      // Parse answers as plain JSON, never as DynamoDB attribute values (this client reads secrets only).
      responseContentType: 'application/json',
    } as AwsLiteConfig);
  }

  async read(): Promise<readonly string[]> {
    const values = await Promise.all(ACCEPTED_STAGES.map((stage) => this.valueAt(stage)));
    return values.filter((v): v is string => v !== undefined);
  }

  private async valueAt(stage: string): Promise<string | undefined> {
    const aws = await this.connect();
    try {
      const response = await aws({
        service: 'secretsmanager',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'secretsmanager.GetSecretValue',
        },
        // Plain JSON: aws-lite would otherwise encode AWS JSON bodies as DynamoDB attribute values.
        awsjson: false,
        payload: { SecretId: this.options.secretId, VersionStage: stage },
      } as Parameters<AwsLite>[0]);
      return (response.payload as { SecretString?: string } | undefined)?.SecretString;
    } catch (error) {
      const code = (error as { code?: string; name?: string }).code ?? (error as { name?: string }).name;
      if (code === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }
}
