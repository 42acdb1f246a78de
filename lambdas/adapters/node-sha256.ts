import { createHash, createHmac } from 'node:crypto';
import type { Hash, SourceData } from '@smithy/types';

const binary = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/**
 * SHA-256 and HMAC-SHA-256 for SigV4 signers (`@smithy/signature-v4`), from
 * node:crypto: native from the first request on, where the pure-JS hash is slow
 * until the JIT has warmed it. Signs every publish (AppSyncPublisher) and checks
 * every signature at the local AppSync endpoint.
 */
export class NodeSha256 implements Hash {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', binary(secret));
  }
  update(data: SourceData): void {
    this.hash.update(binary(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
}
