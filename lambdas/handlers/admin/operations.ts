import type { AdminDeps } from './deps.js';
import type { AdminOperations } from './operation.js';
import { meOperations } from './me.js';
import { roomOperations } from './rooms.js';
import { auditOperations } from './audit.js';
import { broadcastOperations } from './broadcasts.js';
import { statsOperations } from './stats.js';
import { moderationOperations } from './moderation.js';
import { capacityOperations } from './capacity.js';
import { planOperations } from './plans.js';

/** Every admin operation, by route key. Each area of the admin API keeps its operations in its own module. */
export function adminOperations(deps: AdminDeps): AdminOperations {
  return {
    ...meOperations(),
    ...roomOperations(deps),
    ...auditOperations(deps),
    ...broadcastOperations(deps),
    ...statsOperations(deps),
    ...moderationOperations(deps),
    ...capacityOperations(deps),
    ...planOperations(deps),
  };
}
