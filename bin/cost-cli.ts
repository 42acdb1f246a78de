import { parseArgs } from 'node:util';
import { ASSUMPTIONS } from '../lambdas/domain/capacity/assumptions.js';
import { planCapacity, type CapacityPlan } from '../lambdas/domain/capacity/plan.js';
import { SCALED_FUNCTIONS } from '../lambdas/domain/capacity/target.js';
import {
  DEFAULT_ARTIST_MESSAGES_PER_MINUTE,
  validateCostInput,
  type CostInputFields,
} from '../lambdas/domain/cost/input.js';
import { estimateCost } from '../lambdas/domain/cost/estimate.js';
import { formatEstimate } from './format/cost-table.js';
import { REGIONS } from '../lambdas/domain/cost/prices.js';
import { ChatError } from '../lambdas/domain/errors.js';
import { RoomSettings } from '../lambdas/domain/rooms/room.js';
import { DEFAULT_CAPACITY_LEAD_MINUTES, DEFAULT_CAPACITY_TAIL_MINUTES } from '../lambdas/config.js';

const ROOM_DEFAULTS = RoomSettings.parse({});

export const COST_USAGE = `Usage: npm run cost -- --viewers <n> --hours <h> --comments-per-second <n> --region <region> [options]

Estimates one event's AWS bill on this design, line by line, and on the alternatives
(every comment pushed over AppSync, API Gateway WebSocket fan-out, IVS Chat).

Required
  --viewers <n>                      peak concurrent viewers
  --hours <h>                        event length
  --comments-per-second <n>          mean accepted comments per second
  --region <region>                  ${REGIONS.join(' | ')}

Options
  --poll-seconds <s>                 the room's poll interval (default ${ROOM_DEFAULTS.pollIntervalSeconds})
  --response-kb <kb>                 size of one live response as sent (default: from the measured bytes
                                     per document and per comment at this rate; ADR 0019)
  --artist-messages-per-minute <n>   pushed artist messages (default ${DEFAULT_ARTIST_MESSAGES_PER_MINUTE})
  --lead-minutes <m>                 capacity raised this long before the start (default ${DEFAULT_CAPACITY_LEAD_MINUTES})
  --tail-minutes <m>                 and kept this long after the end (default ${DEFAULT_CAPACITY_TAIL_MINUTES})
  --no-plan                          leave out the capacity plan's provisioned concurrency and warm throughput
  --json                             print the estimate as JSON (every design line by line)
  --help                             print this help

Prices: lambdas/domain/cost/prices.ts (sources and dates; * marks unverified ones).`;

/** Flags that name an input field, for messages the user can act on. */
const FLAG_OF_FIELD: Record<string, string> = {
  viewers: '--viewers',
  hours: '--hours',
  commentsPerSecond: '--comments-per-second',
  pollSeconds: '--poll-seconds',
  region: '--region',
  responseKb: '--response-kb',
  artistMessagesPerMinute: '--artist-messages-per-minute',
};

const ID = 'event';

function numberFlag(values: Record<string, unknown>, flag: string): number | undefined {
  const text = values[flag];
  if (text === undefined) return undefined;
  const value = typeof text === 'string' && text.trim() !== '' ? Number(text) : Number.NaN;
  if (!Number.isFinite(value))
    throw new Error(`--${flag} must be a number (got "${String(text)}").\n\n${COST_USAGE}`);
  return value;
}

function minutesFlag(values: Record<string, unknown>, flag: string, fallback: number): number {
  const value = numberFlag(values, flag) ?? fallback;
  if (!Number.isInteger(value) || value < 0 || value > 1_440) {
    throw new Error(`--${flag} must be a whole number of minutes from 0 to 1,440 (got ${value}).`);
  }
  return value;
}

/** The domain names fields; the user typed flags. */
function inFlagTerms(message: string): string {
  return Object.entries(FLAG_OF_FIELD).reduce(
    (text, [field, flag]) => text.replaceAll(new RegExp(`\\b${field}:`, 'g'), `${flag}:`),
    message,
  );
}

/** The capacity the scaler would apply for this one event (its plan's peak). */
function planFor(
  fields: CostInputFields,
  leadMinutes: number,
  tailMinutes: number,
): { plan: CapacityPlan; capacityHours: number } {
  const viewers = fields.viewers;
  const perViewerPerMinute = viewers > 0 ? (fields.commentsPerSecond * 60) / viewers : 0;
  const limit = ASSUMPTIONS.commentsPerViewerPerMinute.max;
  if (perViewerPerMinute > limit) {
    throw new Error(
      `--comments-per-second ${fields.commentsPerSecond} from ${viewers} viewers is ${perViewerPerMinute.toFixed(1)} ` +
        `comments per viewer per minute; the capacity plan accepts at most ${limit}. ` +
        'Check the numbers, or pass --no-plan.',
    );
  }
  const plan = planCapacity(
    [
      {
        roomId: ID,
        expectedViewers: viewers,
        startsAtMs: 0,
        endsAtMs: Math.round(fields.hours * 3_600_000),
        pollIntervalSeconds: fields.pollSeconds,
        segmentSeconds: ROOM_DEFAULTS.segmentSeconds,
        writeShards: 1,
      },
    ],
    {
      leadTimeMs: leadMinutes * 60_000,
      tailMs: tailMinutes * 60_000,
      // The plan derives the post rate from viewers; make it the rate given here.
      ...(viewers > 0 ? { assumptions: { commentsPerViewerPerMinute: perViewerPerMinute } } : {}),
    },
  );
  return { plan, capacityHours: fields.hours + (leadMinutes + tailMinutes) / 60 };
}

function planSummary(plan: CapacityPlan, leadMinutes: number, tailMinutes: number): string[] {
  const peak = plan.peak;
  const pc = SCALED_FUNCTIONS.map((fn) => `${fn} ${peak.provisionedConcurrency[fn]}`).join(', ');
  const warm = Object.entries(peak.warmThroughput)
    .filter(([, t]) => t.readUnitsPerSecond > 0 || t.writeUnitsPerSecond > 0)
    .map(([table, t]) => `${table} ${t.writeUnitsPerSecond} W/${t.readUnitsPerSecond} R units/s`);
  return [
    `Capacity from the plan, in force ${leadMinutes} min before to ${tailMinutes} min after: ` +
      `provisioned concurrency ${pc}; warm throughput ${warm.length > 0 ? warm.join(', ') : 'none (within the on-demand default)'}; ` +
      `write shards ${peak.roomShards[ID] ?? 1}.`,
    ...plan.warnings.map((w) => `  [${w.level}] ${w.message}`),
  ];
}

/** Runs the cost CLI; returns what it prints. Throws an Error whose message is for the user. */
export function runCostCli(argv: string[]): string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      allowNegative: true,
      options: {
        viewers: { type: 'string' },
        hours: { type: 'string' },
        'comments-per-second': { type: 'string' },
        'poll-seconds': { type: 'string' },
        region: { type: 'string' },
        'response-kb': { type: 'string' },
        'artist-messages-per-minute': { type: 'string' },
        'lead-minutes': { type: 'string' },
        'tail-minutes': { type: 'string' },
        plan: { type: 'boolean', default: true },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n\n${COST_USAGE}`);
  }
  const { values } = parsed;
  if (values.help) return COST_USAGE;

  const missing = ['viewers', 'hours', 'comments-per-second', 'region'].filter(
    (flag) => values[flag as keyof typeof values] === undefined,
  );
  if (missing.length > 0) {
    throw new Error(`Missing ${missing.map((f) => `--${f}`).join(', ')}.\n\n${COST_USAGE}`);
  }

  const fields: CostInputFields = {
    viewers: numberFlag(values, 'viewers') as number,
    hours: numberFlag(values, 'hours') as number,
    commentsPerSecond: numberFlag(values, 'comments-per-second') as number,
    pollSeconds: numberFlag(values, 'poll-seconds') ?? ROOM_DEFAULTS.pollIntervalSeconds,
    region: values.region as CostInputFields['region'],
    responseKb: numberFlag(values, 'response-kb'),
    artistMessagesPerMinute:
      numberFlag(values, 'artist-messages-per-minute') ?? DEFAULT_ARTIST_MESSAGES_PER_MINUTE,
  };
  const leadMinutes = minutesFlag(values, 'lead-minutes', DEFAULT_CAPACITY_LEAD_MINUTES);
  const tailMinutes = minutesFlag(values, 'tail-minutes', DEFAULT_CAPACITY_TAIL_MINUTES);

  try {
    // The event itself first, so a bad number is reported as the flag the user typed.
    validateCostInput(fields);
    const planned = values.plan ? planFor(fields, leadMinutes, tailMinutes) : undefined;
    const estimate = estimateCost(
      planned
        ? {
            ...fields,
            writeShards: planned.plan.peak.roomShards[ID] ?? 1,
            assumptions: planned.plan.assumptions,
            capacity: {
              provisionedConcurrency: planned.plan.peak.provisionedConcurrency,
              warmThroughput: planned.plan.peak.warmThroughput,
              hours: planned.capacityHours,
            },
          }
        : fields,
    );
    if (values.json) {
      const plan = planned
        ? { leadMinutes, tailMinutes, peak: planned.plan.peak, warnings: planned.plan.warnings }
        : null;
      return JSON.stringify({ estimate, plan }, null, 2);
    }
    return formatEstimate(estimate, planned ? planSummary(planned.plan, leadMinutes, tailMinutes) : []);
  } catch (error) {
    if (error instanceof ChatError) throw new Error(inFlagTerms(error.message));
    throw error;
  }
}
