import { CutoffRun, StoredPlan, type ChannelPlan, type PlanStore } from '../../domain/limits/plans.js';
import { ConditionFailedError, queryPages, type DynamoClient } from './client.js';
import { transientAsUnavailable } from './errors.js';
import { planKey, PLANS_PARTITION } from './keys.js';

/** Listing pages of the plans partition: only the sort keys are projected. */
const LISTING_PAGE = 1_000;

/**
 * Channel plans in the control table (ADR 0038), all in one partition (`plans`, sk = channel id):
 * the enqueuer lists every limited channel with one paginated Query. Plans change rarely and
 * are read once per scheduled pass, far below one partition's limits.
 */
export class DynamoPlanStore implements PlanStore {
  constructor(
    private readonly db: DynamoClient,
    private readonly tableName: string,
  ) {}

  async get(channelId: string): Promise<StoredPlan | undefined> {
    const { Item } = await transientAsUnavailable(() =>
      this.db.get({ TableName: this.tableName, Key: planKey(channelId), ConsistentRead: true }),
    );
    return Item ? toPlan(Item) : undefined;
  }

  /** One conditional UpdateItem: created at version 1, or replaced at the version read, bumped once. */
  async put(
    channelId: string,
    plan: ChannelPlan,
    change: { readonly expectedVersion?: number; readonly updatedAt: string; readonly updatedBy?: string },
  ): Promise<StoredPlan | 'stale'> {
    const create = change.expectedVersion === undefined;
    const sets = [
      'channelId = :channel',
      '#plan = :plan',
      'updatedAt = :at',
      create ? 'version = :one' : 'version = version + :one',
      ...(change.updatedBy === undefined ? [] : ['updatedBy = :by']),
    ];
    try {
      const { Attributes } = await transientAsUnavailable(() =>
        this.db.update({
          TableName: this.tableName,
          Key: planKey(channelId),
          UpdateExpression:
            `SET ${sets.join(', ')}` + (change.updatedBy === undefined ? ' REMOVE updatedBy' : ''),
          ConditionExpression: create ? 'attribute_not_exists(pk)' : 'version = :expected',
          ExpressionAttributeNames: { '#plan': 'plan' },
          ExpressionAttributeValues: {
            ':channel': channelId,
            ':plan': { maxComments: plan.maxComments, days: plan.days },
            ':at': change.updatedAt,
            ':one': 1,
            ...(change.updatedBy === undefined ? {} : { ':by': change.updatedBy }),
            ...(create ? {} : { ':expected': change.expectedVersion }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toPlan(Attributes!);
    } catch (error) {
      if (error instanceof ConditionFailedError) return 'stale';
      throw error;
    }
  }

  async remove(channelId: string): Promise<boolean> {
    const { Attributes } = await transientAsUnavailable(() =>
      this.db.delete({ TableName: this.tableName, Key: planKey(channelId), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }

  async recordRun(channelId: string, run: CutoffRun): Promise<'recorded' | 'stale'> {
    try {
      await transientAsUnavailable(() =>
        this.db.update({
          TableName: this.tableName,
          Key: planKey(channelId),
          UpdateExpression: 'SET lastRun = :run',
          ConditionExpression: 'attribute_exists(pk) AND version = :version',
          ExpressionAttributeValues: { ':run': CutoffRun.parse(run), ':version': run.planVersion ?? 0 },
        }),
      );
      return 'recorded';
    } catch (error) {
      if (error instanceof ConditionFailedError) return 'stale';
      throw error;
    }
  }

  async *limitedChannels(): AsyncGenerator<string> {
    const pages = queryPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ProjectionExpression: 'sk',
      ExpressionAttributeValues: { ':pk': PLANS_PARTITION },
      Limit: LISTING_PAGE,
    });
    for (;;) {
      const next = await transientAsUnavailable(() => pages.next());
      if (next.done) return;
      for (const item of next.value) yield String(item.sk);
    }
  }
}

function toPlan(item: Record<string, unknown>): StoredPlan {
  const { pk: _pk, sk: _sk, ...plan } = item;
  return StoredPlan.parse(plan);
}
