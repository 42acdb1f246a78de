import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleResolvers, resolverFiles } from '../../../graphql/bundle.js';
import {
  invokeResolver,
  loadResolvers,
  rewriteUtilsImport,
  utilsRuntimeUrl,
  type LoadedResolver,
  type ResolverMap,
} from '../../../local/appsync/resolvers.js';

/**
 * The APPSYNC_JS bundles CDK deploys, executed through the local
 * `@aws-appsync/utils` stand-in (the package is types only at run time).
 */
let resolvers: ResolverMap;
beforeAll(async () => {
  resolvers = await loadResolvers();
});

const resolver = (name: string): LoadedResolver => {
  const found = resolvers.get(name);
  if (!found) throw new Error(`No resolver ${name}; have ${[...resolvers.keys()].join(', ')}`);
  return found;
};

const IAM = { accountId: '000000000000', username: 'local' };
const event = {
  id: '01JD2Y3K4M5N6P7Q8R9S0T1V2W',
  roomId: 'demo',
  kind: 'PING',
  time: '2030-01-01T00:00:00.000Z',
  payload: '{"nonce":"n-1"}',
};

describe('loading the bundles', () => {
  it('loads one resolver per <Type>.<field>.ts file, from the bundles, not the sources', async () => {
    const names = resolverFiles().map((f) => `${f.typeName}.${f.fieldName}`);

    expect([...resolvers.keys()].sort()).toEqual(names.sort());
    for (const loaded of resolvers.values()) {
      expect(loaded.file).toMatch(/\.build\/appsync-local\/.+\.mjs$/);
      const code = await readFile(loaded.file, 'utf8');
      expect(code).not.toContain("'@aws-appsync/utils'");
      expect(code).not.toContain('"@aws-appsync/utils"');
    }
  });

  it('rewrites exactly the @aws-appsync/utils import specifier, nothing else', async () => {
    const [bundle] = await bundleResolvers(resolverFiles().filter((f) => f.fieldName === 'publish'));
    const original = bundle!.code;

    const rewritten = rewriteUtilsImport(original);

    expect(original).toContain('from "@aws-appsync/utils"');
    expect(rewritten).toBe(original.replace('"@aws-appsync/utils"', JSON.stringify(utilsRuntimeUrl)));
  });

  it('leaves other mentions of the package name alone', () => {
    const code = 'import { util } from "@aws-appsync/utils";\nconst s = "@aws-appsync/utils";\n';

    expect(rewriteUtilsImport(code, 'file:///x.ts')).toBe(
      'import { util } from "file:///x.ts";\nconst s = "@aws-appsync/utils";\n',
    );
  });
});

describe('Mutation.publish', () => {
  it('passes the event through (NONE data source) as the result', () => {
    const outcome = invokeResolver(resolver('Mutation.publish'), { args: { event }, identity: IAM });

    expect(outcome).toMatchObject({ ok: true, value: event });
  });

  it('passes the global room id "*" through', () => {
    const global = { ...event, roomId: '*' };

    const outcome = invokeResolver(resolver('Mutation.publish'), { args: { event: global }, identity: IAM });

    expect(outcome).toMatchObject({ ok: true, value: global });
  });

  it.each(['', 'a b', 'x'.repeat(65), '**'])('refuses the roomId %j with a BadRequest error', (roomId) => {
    const outcome = invokeResolver(resolver('Mutation.publish'), {
      args: { event: { ...event, roomId } },
      identity: IAM,
    });

    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.errorType).toBe('BadRequest');
  });
});

describe('Subscription.onRoomEvent', () => {
  it('accepts a room id and sets no enhanced filter (argument-based filtering only)', () => {
    const outcome = invokeResolver(resolver('Subscription.onRoomEvent'), {
      args: { roomId: 'demo' },
      identity: null,
    });

    expect(outcome.ok).toBe(true);
    expect(outcome.scope.subscriptionFilter).toBeUndefined();
  });

  it.each(['*', '', 'room/1'])('refuses the roomId %j', (roomId) => {
    const outcome = invokeResolver(resolver('Subscription.onRoomEvent'), {
      args: { roomId },
      identity: null,
    });

    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.errorType).toBe('BadRequest');
    expect(outcome.scope.subscriptionFilter).toBeUndefined();
  });
});

describe('Subscription.onGlobalEvent', () => {
  it('sets the enhanced filter roomId eq "*"', () => {
    const outcome = invokeResolver(resolver('Subscription.onGlobalEvent'), { args: {}, identity: null });

    expect(outcome.ok).toBe(true);
    expect(outcome.scope.subscriptionFilter).toEqual({
      filterGroup: [{ filters: [{ fieldName: 'roomId', operator: 'eq', value: '*' }] }],
    });
  });

  it('does not leak its filter into the next call', () => {
    invokeResolver(resolver('Subscription.onGlobalEvent'), { args: {}, identity: null });

    const next = invokeResolver(resolver('Subscription.onRoomEvent'), {
      args: { roomId: 'demo' },
      identity: null,
    });

    expect(next.scope.subscriptionFilter).toBeUndefined();
  });
});

describe('Query.apiVersion', () => {
  it('answers the version', () => {
    expect(invokeResolver(resolver('Query.apiVersion'), { args: {}, identity: null })).toMatchObject({
      ok: true,
      value: '1',
    });
  });
});
