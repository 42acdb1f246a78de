/**
 * The archive's S3 locally (ADR 0037): s3rver, a kept S3-compatible server, with the archive bucket
 * made at start. The functions reach it with the same aws-lite adapter as S3 in AWS.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** The local archive bucket's name. */
export const LOCAL_ARCHIVE_BUCKET = 'local-archive';
/** s3rver's own account: it checks signatures made with these. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface LocalS3 {
  readonly endpoint: string;
  readonly bucket: string;
  stop(): Promise<void>;
}

export interface LocalS3Options {
  /** Default: a free port. */
  readonly port?: number;
  /** Where objects are kept between runs; default a temporary directory removed at stop. */
  readonly directory?: string;
}

export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'hybrid-live-chat-s3-'));
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory,
    silent: true,
    configureBuckets: [{ name: LOCAL_ARCHIVE_BUCKET, configs: [] }],
  });
  let address;
  try {
    address = await server.run();
  } catch (error) {
    if (!options.directory) rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket: LOCAL_ARCHIVE_BUCKET,
    stop: async () => {
      await server.close();
      if (!options.directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}
