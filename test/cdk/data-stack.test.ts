import { describe, expect, it } from 'vitest';
import {
  allRoomsIndex,
  controlTable,
  roomsByChannelIndex,
  tables,
  type TableDefinition,
} from '../../lambdas/tables.js';
import { STAGES } from '../../lib/stage-config.js';
import { resources, resourcesOfType, synthesize } from './synth.js';

// Resources only: no bundling needed.
const synthesized = Object.fromEntries(STAGES.map((stage) => [stage, synthesize(stage, { bundle: false })]));

describe.each(STAGES)('DataStack (%s)', (stage) => {
  const template = synthesized[stage]!.data;
  const all = resources(template);

  it('holds exactly the tables of lambdas/tables.ts', () => {
    expect(
      resourcesOfType(template, 'AWS::DynamoDB::Table')
        .map(([id]) => id)
        .sort(),
    ).toEqual(tables.map((t) => t.id).sort());
  });

  it('pins the logical ids CommentsTable and ControlTable', () => {
    expect(all.CommentsTable?.Type).toBe('AWS::DynamoDB::Table');
    expect(all.ControlTable?.Type).toBe('AWS::DynamoDB::Table');
  });

  describe.each(tables)('$id', (definition) => {
    const table = () => all[definition.id]!;
    const props = () => table().Properties as Record<string, unknown>;

    it('has the key schema of its definition, as strings', () => {
      expect(props().KeySchema).toEqual([
        { AttributeName: definition.partitionKey, KeyType: 'HASH' },
        { AttributeName: definition.sortKey, KeyType: 'RANGE' },
      ]);
      expect(props().AttributeDefinitions).toEqual(
        expect.arrayContaining([
          { AttributeName: definition.partitionKey, AttributeType: 'S' },
          { AttributeName: definition.sortKey, AttributeType: 'S' },
        ]),
      );
    });

    it('has exactly the global indexes of its definition, keys only, keyed by strings', () => {
      const indexes = (definition as TableDefinition).globalIndexes ?? [];
      expect(props().GlobalSecondaryIndexes ?? []).toEqual(
        indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        })),
      );
      for (const index of indexes) {
        expect(props().AttributeDefinitions).toEqual(
          expect.arrayContaining([
            { AttributeName: index.partitionKey, AttributeType: 'S' },
            { AttributeName: index.sortKey, AttributeType: 'S' },
          ]),
        );
      }
    });

    it('bills on demand', () => {
      expect(props().BillingMode).toBe('PAY_PER_REQUEST');
      expect(props().ProvisionedThroughput).toBeUndefined();
    });

    it('has point-in-time recovery on', () => {
      expect(props().PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    });

    it('expires items by the expiresAt attribute', () => {
      expect(definition.timeToLiveAttribute).toBe('expiresAt');
      expect(props().TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    });

    it('has a generated name', () => {
      expect(props().TableName).toBeUndefined();
    });

    if (stage === 'prod') {
      it('is retained and deletion-protected in prod', () => {
        expect(table().DeletionPolicy).toBe('Retain');
        expect(table().UpdateReplacePolicy).toBe('Retain');
        expect(props().DeletionProtectionEnabled).toBe(true);
      });
    } else {
      it('is deleted with a dev stack and not deletion-protected', () => {
        expect(table().DeletionPolicy).toBe('Delete');
        expect(props().DeletionProtectionEnabled).not.toBe(true);
      });
    }
  });

  it('lists rooms through the ByChannel and AllRooms indexes of the control table', () => {
    expect(controlTable.globalIndexes.map((i) => i.name)).toEqual([
      roomsByChannelIndex.name,
      allRoomsIndex.name,
    ]);
    const names = (
      all.ControlTable!.Properties as { GlobalSecondaryIndexes: { IndexName: string }[] }
    ).GlobalSecondaryIndexes.map((i) => i.IndexName);
    expect(names).toEqual(['ByChannel', 'AllRooms']);
  });

  it('outputs both table names for operators and the room CLI', () => {
    template.hasOutput('CommentsTableName', { Value: { Ref: 'CommentsTable' } });
    template.hasOutput('ControlTableName', { Value: { Ref: 'ControlTable' } });
  });
});
