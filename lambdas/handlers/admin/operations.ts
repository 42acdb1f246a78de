import type { AdminOperations } from './operation.js';
import { meOperations } from './me.js';

/** Every admin operation, by route key. Each area of the admin API keeps its operations in its own module. */
export const adminOperations: AdminOperations = {
  ...meOperations,
};
