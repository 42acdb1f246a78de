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
