import type { AdminOperations } from './operation.js';

/** GET /admin/v1/me — who the console is signed in as: roles and channels. */
export function meOperations(): AdminOperations {
  return {
    'GET /admin/v1/me': async ({ principal }) => ({
      status: 200,
      body: {
        userId: principal.userId,
        displayName: principal.displayName,
        roles: [...principal.roles].sort(),
        channels: [...principal.channels].sort(),
      },
    }),
  };
}
