import {
  CreateTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { commentsTable, controlTable, type TableDefinition } from '../lambdas/tables.js';

export interface TableNames {
  readonly comments: string;
  readonly control: string;
}

export function tableNames(prefix: string): TableNames {
  return { comments: `${prefix}-${commentsTable.id}`, control: `${prefix}-${controlTable.id}` };
}

/** Creates the tables from the same definitions CDK deploys; existing tables are left as they are. */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all([
    create(client, commentsTable, names.comments),
    create(client, controlTable, names.control),
  ]);
}

async function create(client: DynamoDBClient, table: TableDefinition, name: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: table.partitionKey, AttributeType: 'S' },
          { AttributeName: table.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          { AttributeName: table.sortKey, KeyType: 'RANGE' },
        ],
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return;
    throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: name });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
    }),
  );
}
