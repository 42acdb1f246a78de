import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { EdgeResponse } from '../../../local/edge-cache.js';
import { compressForViewer, negotiateEncoding } from '../../../local/edge-compression.js';

const json = (bytes: number, headers: Record<string, string> = {}): EdgeResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify({ text: 'x'.repeat(Math.max(0, bytes - 11)) }),
});

describe('negotiateEncoding', () => {
  it('prefers Brotli, then gzip, as CloudFront does, and honours q=0 refusals', () => {
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('gzip, deflate')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(negotiateEncoding('BR')).toBe('br');
    expect(negotiateEncoding('deflate, identity')).toBeUndefined();
    expect(negotiateEncoding(undefined)).toBeUndefined();
  });
});

describe('compressForViewer', () => {
  it('sends a JSON document of 1,000 bytes or more as Brotli or gzip, decoding to the same bytes', () => {
    const response = json(5_000, { 'content-length': '5000', vary: 'Origin' });

    const br = compressForViewer(response, 'gzip, br');
    const gzip = compressForViewer(response, 'gzip');

    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body as Buffer).toString()).toBe(response.body);
    expect(gunzipSync(gzip.body as Buffer).toString()).toBe(response.body);
    // The origin's length was the uncompressed one: it must not be sent with the compressed body.
    expect(br.headers['content-length']).toBeUndefined();
    expect(br.headers.vary).toBe('Origin, Accept-Encoding');
    expect((br.body as Buffer).byteLength).toBeLessThan(200);
  });

  it('compresses a cached object once per encoding: every viewer gets the same copy', () => {
    const response = json(5_000);
    expect(compressForViewer(response, 'br').body).toBe(compressForViewer(response, 'br').body);
    // A web file's body is shared by the responses made for it.
    const file = new TextEncoder().encode('body { color: black; }'.repeat(100));
    const first = compressForViewer(
      { status: 200, headers: { 'content-type': 'text/css' }, body: file },
      'br',
    );
    const second = compressForViewer(
      { status: 200, headers: { 'content-type': 'text/css' }, body: file },
      'br',
    );
    expect(second.body).toBe(first.body);
  });

  it('leaves alone what CloudFront leaves alone: small, large-typed, already encoded, or no Accept-Encoding', () => {
    const small = json(999);
    const image: EdgeResponse = {
      status: 200,
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(5_000),
    };
    const encoded = json(5_000, { 'Content-Encoding': 'gzip' });

    expect(compressForViewer(small, 'br')).toBe(small);
    expect(compressForViewer(json(1_000), 'br').headers['content-encoding']).toBe('br');
    expect(compressForViewer(image, 'br')).toBe(image);
    expect(compressForViewer(encoded, 'br')).toBe(encoded);
    expect(compressForViewer(json(5_000), undefined).headers['content-encoding']).toBeUndefined();
  });

  it('makes a strong ETag weak, keeps a weak one, and drops one that is neither', () => {
    expect(compressForViewer(json(5_000, { ETag: '"abc"' }), 'br').headers.etag).toBe('W/"abc"');
    expect(compressForViewer(json(5_000, { etag: 'W/"abc"' }), 'br').headers.etag).toBe('W/"abc"');
    const odd = compressForViewer(json(5_000, { etag: 'abc' }), 'br').headers;
    expect(Object.keys(odd).map((k) => k.toLowerCase())).not.toContain('etag');
  });
});
