import { WebSocket } from 'ws';
import type { WebSocketLike } from '../../client/types.js';

/**
 * `ws` (Node 20 has no global WebSocket) trusting exactly one certificate: the local AppSync
 * endpoint's self-signed one. TLS verification stays on; nothing else is trusted.
 */
export function webSocketTrusting(certificatePem: string): WebSocketLike {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { ca: certificatePem });
    }
  } as unknown as WebSocketLike;
}
