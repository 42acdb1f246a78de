import { Amplify } from 'aws-amplify';
import {
  CONNECTION_STATE_CHANGE,
  ConnectionState,
  generateClient,
  type GraphQLSubscription,
} from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { AppSyncPublisher } from '../../lambdas/adapters/appsync-publisher.js';
import { readWireEvent, type RoomEvent } from '../../lambdas/domain/realtime/room-event.js';
import { ROOM_EVENT } from '../helpers/appsync.js';
import { startLocalAppSync, type LocalAppSync } from '../../local/appsync/server.js';

/**
 * Conformance with a real AppSync client library: aws-amplify v6's GraphQL
 * client subscribes to the local endpoint with the API key, exactly as it
 * would to AppSync (it derives wss://…/graphql/realtime from the https
 * GraphQL URL and authenticates with the header- subprotocol), and receives an
 * event the backend publisher adapter published with SigV4.
 */
const WAIT_MS = 20_000;
let appsync: LocalAppSync;
const originalWebSocket = (globalThis as { WebSocket?: unknown }).WebSocket;

beforeAll(async () => {
  appsync = await startLocalAppSync();
  const ca = appsync.certificatePem;
  // Node 20 has no global WebSocket; Amplify uses the global one. This one trusts the local certificate,
  // and only it: nothing turns TLS verification off.
  class TrustingWebSocket extends NodeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { ca });
    }
  }
  (globalThis as { WebSocket?: unknown }).WebSocket = TrustingWebSocket;
  Amplify.configure({
    API: {
      GraphQL: {
        endpoint: appsync.graphqlUrl,
        region: 'us-east-1',
        defaultAuthMode: 'apiKey',
        apiKey: appsync.apiKey,
      },
    },
  });
});
afterAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = originalWebSocket;
  await appsync?.stop();
});

type OnRoomEvent = GraphQLSubscription<{ onRoomEvent: Record<string, unknown> }>;

/** The same subscription the protocol tests send. */
const ON_ROOM_EVENT = ROOM_EVENT;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}.`)), WAIT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('aws-amplify v6 against the local AppSync endpoint', () => {
  it('subscribes with the API key and receives an event published by the backend publisher', async () => {
    const roomId = `amplify-${Date.now().toString(36)}`;
    const event: RoomEvent<'ARTIST_MESSAGE'> = {
      id: ulid(),
      roomId,
      kind: 'ARTIST_MESSAGE',
      time: new Date().toISOString(),
      payload: { itemId: ulid(), artistId: 'artist-1', displayName: 'The Band', text: 'Thank you, Tokyo!' },
    };
    const publisher = new AppSyncPublisher({
      graphqlUrl: appsync.httpGraphqlUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    let stopListening = () => {};
    const connected = new Promise<void>((resolve) => {
      stopListening = Hub.listen('api', ({ payload }) => {
        const state = (payload.data as { connectionState?: string } | undefined)?.connectionState;
        if (payload.event === CONNECTION_STATE_CHANGE && state === ConnectionState.Connected) resolve();
      });
    });
    let onEvent: (value: unknown) => void = () => {};
    let onError: (error: unknown) => void = () => {};
    const received = new Promise<unknown>((resolve, reject) => {
      onEvent = resolve;
      onError = reject;
    });

    const subscription = generateClient()
      .graphql<OnRoomEvent>({ query: ON_ROOM_EVENT, variables: { roomId } })
      .subscribe({
        next: ({ data }) => onEvent(data.onRoomEvent),
        error: (error: unknown) => onError(new Error(`Subscription failed: ${JSON.stringify(error)}`)),
      });
    try {
      await within(connected, 'the start_ack (Hub ConnectionState.Connected)');
      await publisher.publish(event);
      const wire = await within(received, 'the event');

      expect(readWireEvent(wire)).toEqual(event);
      expect(appsync.stats()).toMatchObject({ published: 1, delivered: 1, subscriptions: 1 });
    } finally {
      subscription.unsubscribe();
      stopListening();
    }
  });

  it('sends stop when unsubscribed, which ends the subscription on the server', async () => {
    const subscription = generateClient()
      .graphql<OnRoomEvent>({ query: ON_ROOM_EVENT, variables: { roomId: 'amplify-stop' } })
      .subscribe({ next: () => {}, error: () => {} });
    await waitUntil(() => appsync.stats().subscriptions === 1, 'the subscription to start');

    subscription.unsubscribe();

    await waitUntil(() => appsync.stats().subscriptions === 0, 'the stop');
  });
});
