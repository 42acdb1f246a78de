import { randomUUID } from 'node:crypto';
import type { Role } from '../../lambdas/domain/access/roles.js';
import type { LocalStack } from '../../local/stack.js';

/** Calls the admin API through a local stack's edge, as a dev user pool identity. */
export function localAdmin(stack: LocalStack, roles: Role[] = ['operator'], channels?: string[]) {
  let token: Promise<string> | undefined;
  return async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    token ??= stack.adminTokens
      .issue({ roles, ...(channels ? { channels } : {}) })
      .then((issued) => issued.token);
    const res = await fetch(`${stack.edgeUrl}/admin/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

let rooms = 0;
/** A fresh open room polled every second, unless settings say otherwise. */
export async function newLocalRoom(stack: LocalStack, settings: Record<string, unknown> = {}) {
  const roomId = `t-${++rooms}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  await localAdmin(stack)('POST', '/rooms', {
    roomId,
    channelId: 'default',
    title: `Test room ${rooms}`,
    settings: { pollIntervalSeconds: 1, ...settings },
  });
  return roomId;
}

/**
 * Posts a comment as a viewer (a dev viewer token, `Viewer <userId>` unless named) through a local
 * stack's edge, and returns the stored comment; throws unless the API answered 201.
 */
export async function postAsViewer(
  stack: LocalStack,
  roomId: string,
  viewer: { userId: string; displayName?: string; style?: string },
  text: string,
): Promise<{ id: string; text: string }> {
  const { token } = await stack.tokens.issue({
    userId: viewer.userId,
    displayName: viewer.displayName ?? `Viewer ${viewer.userId}`,
    ...(viewer.style ? { style: viewer.style } : {}),
  });
  const res = await fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/comments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text, clientMessageId: randomUUID() }),
  });
  if (res.status !== 201) throw new Error(`post as ${viewer.userId}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { comment: { id: string; text: string } }).comment;
}
