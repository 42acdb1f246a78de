import { planCapacity, targetAt } from './plan.js';
import type { CapacityWindows, PlanCapacity } from './ports.js';

/** The scaler's planning function: the capacity plan (plan.ts) over these windows, and its target at `nowMs`. */
export function capacityPlanner(windows: CapacityWindows): PlanCapacity {
  return (rooms, nowMs) => {
    const plan = planCapacity(rooms, windows);
    return { target: targetAt(plan, nowMs), warnings: plan.warnings };
  };
}
