import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { lazyAwsLite, type AwsLite, type AwsLiteConfig } from '../aws-lite.js';
import s3Plugin from '@aws-lite/s3';
import type { ArchivedSegment, SegmentArchive } from '../../domain/feed/ports.js';
import { UnavailableError } from '../../domain/errors.js';
import { segmentKey } from './keys.js';

const zip = promisify(gzip);
const unzip = promisify(gunzip);

export interface S3SegmentArchiveOptions {
  readonly bucket: string;
  readonly region: string;
  /** A local S3-compatible server (s3rver); in AWS the regional endpoint is used. */
  readonly endpoint?: string;
  /** In AWS, omitted: the function role's credentials come from the environment. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

interface S3Calls {
  GetObject(input: { Bucket: string; Key: string; rawResponsePayload?: boolean }): Promise<{ Body: unknown }>;
  PutObject(input: {
    Bucket: string;
    Key: string;
    Body: Buffer;
    ContentType: string;
    ContentEncoding?: string;
  }): Promise<unknown>;
}

/**
 * The archive in S3 through aws-lite (the same small client as DynamoDB's, ADR 0022): gzip'd
 * JSON, stored as `application/gzip` — stored as `application/json`, aws-lite would try to parse
 * the compressed body. A missing object is an empty segment.
 */
export class S3SegmentArchive implements SegmentArchive {
  private readonly client: () => Promise<AwsLite>;

  constructor(private readonly options: S3SegmentArchiveOptions) {
    const { region, endpoint, credentials } = options;
    this.client = lazyAwsLite({
      region,
      ...(credentials ?? {}),
      ...(endpoint ? { endpoint: new URL(endpoint).origin } : {}),
      plugins: [s3Plugin],
      keepAlive: true,
    } as AwsLiteConfig);
  }

  async get(roomId: string, segment: number): Promise<ArchivedSegment | undefined> {
    const s3 = await this.connect();
    let body: unknown;
    try {
      ({ Body: body } = await s3.GetObject({
        Bucket: this.options.bucket,
        Key: segmentKey(roomId, segment),
        rawResponsePayload: true,
      }));
    } catch (error) {
      const e = error as { statusCode?: number; name?: string; code?: string };
      if (e.statusCode === 404 || e.name === 'NoSuchKey' || e.code === 'NoSuchKey') return undefined;
      throw new UnavailableError('The segment archive could not be read; retry shortly.', error);
    }
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body as Uint8Array);
    return JSON.parse((await unzip(bytes)).toString('utf8')) as ArchivedSegment;
  }

  async put(roomId: string, segment: number, document: ArchivedSegment): Promise<void> {
    const s3 = await this.connect();
    const body = await zip(Buffer.from(JSON.stringify(document), 'utf8'));
    try {
      await s3.PutObject({
        Bucket: this.options.bucket,
        Key: segmentKey(roomId, segment),
        Body: body,
        ContentType: 'application/gzip',
      });
    } catch (error) {
      throw new UnavailableError('The segment archive could not be written; retry shortly.', error);
    }
  }

  private async connect(): Promise<S3Calls> {
    return ((await this.client()) as unknown as { S3: S3Calls }).S3;
  }
}
