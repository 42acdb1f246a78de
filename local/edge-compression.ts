/**
 * CloudFront's compression, as the distribution is configured (`compress: true` on every
 * behaviour, gzip and Brotli in the cache policy): a response of a compressible type, 1,000 to
 * 10,000,000 bytes long and not already encoded, goes to a viewer that accepts `br` as Brotli,
 * else to one that accepts `gzip` as gzip, else as it is; a strong `ETag` becomes weak. Each
 * cached object is compressed once per encoding, as CloudFront caches its compressed copies, so
 * the local edge sends the bytes the production edge would (the cost model prices those).
 * (CloudFront DeveloperGuide ServingCompressedFiles, docs/sources/aws/cloudfront-compression.md)
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { EdgeResponse } from './edge-cache.js';

/**
 * CloudFront does not publish its levels. gzip 6 is zlib's default, what most origins and proxies
 * compress with on the fly; Brotli 5 is a common on-the-fly quality (11, the library's default, is
 * for static files). The benchmark's byte figures (bench/live-bytes.ts) use the same.
 */
export const EDGE_COMPRESSION_LEVELS = { gzip: 6, brotli: 5 } as const;

export type EdgeEncoding = 'br' | 'gzip';

/** The sizes CloudFront compresses, in bytes. */
const MIN_BYTES = 1_000;
const MAX_BYTES = 10_000_000;

/** The types on CloudFront's list that this product serves. */
const COMPRESSIBLE_TYPES = new Set([
  'application/javascript',
  'application/json',
  'application/xml',
  'image/svg+xml',
  'text/css',
  'text/csv',
  'text/html',
  'text/javascript',
  'text/plain',
  'text/xml',
]);

/** Compressed copies, per cached object (the response, or a shared body such as a web file's). */
const copies = new WeakMap<object, Map<EdgeEncoding, Buffer>>();

/** Brotli when the viewer accepts it, else gzip, else none (`q=0` refuses a coding). */
export function negotiateEncoding(acceptEncoding: string | undefined): EdgeEncoding | undefined {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase().split(';'))
      .filter(([, ...params]) => !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p)))
      .map(([coding]) => coding!.trim()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return undefined;
}

/** The response as CloudFront would send it to a viewer whose request said `acceptEncoding`. */
export function compressForViewer(response: EdgeResponse, acceptEncoding: string | undefined): EdgeResponse {
  const encoding = negotiateEncoding(acceptEncoding);
  if (!encoding || !compressible(response)) return response;
  const key = typeof response.body === 'string' ? response : response.body;
  let byEncoding = copies.get(key);
  if (!byEncoding) copies.set(key, (byEncoding = new Map()));
  let body = byEncoding.get(encoding);
  if (!body) byEncoding.set(encoding, (body = compress(response.body, encoding)));
  const vary = header(response, 'vary');
  const etag = header(response, 'etag');
  // Every header set here replaces one of any case; the length is the compressed body's, set on send.
  const headers = Object.fromEntries(
    Object.entries(response.headers).filter(
      ([name]) => !['content-encoding', 'content-length', 'vary', 'etag'].includes(name.toLowerCase()),
    ),
  );
  headers['content-encoding'] = encoding;
  headers.vary = vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding';
  // A strong ETag becomes weak; one that is neither strong nor weak is dropped.
  if (etag?.startsWith('"')) headers.etag = `W/${etag}`;
  else if (etag?.startsWith('W/')) headers.etag = etag;
  return { ...response, headers, body };
}

function compressible(response: EdgeResponse): boolean {
  if (header(response, 'content-encoding') !== undefined) return false;
  const type = header(response, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (!type || !COMPRESSIBLE_TYPES.has(type)) return false;
  const bytes =
    typeof response.body === 'string' ? Buffer.byteLength(response.body) : response.body.byteLength;
  return bytes >= MIN_BYTES && bytes <= MAX_BYTES;
}

/** One body compressed at the levels above (the bench's byte figures use it too). */
export function compress(body: string | Uint8Array, encoding: EdgeEncoding): Buffer {
  const input = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (encoding === 'gzip') return gzipSync(input, { level: EDGE_COMPRESSION_LEVELS.gzip });
  return brotliCompressSync(input, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: EDGE_COMPRESSION_LEVELS.brotli,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: input.byteLength,
    },
  });
}

/** A response header by name, whatever its case. */
function header(response: EdgeResponse, name: string): string | undefined {
  for (const [key, value] of Object.entries(response.headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}
