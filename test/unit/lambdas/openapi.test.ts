import { describe, expect, it } from 'vitest';
import { safeParse } from 'zod/mini';
import type { $ZodType } from 'zod/v4/core';
import { CreateRoomRequest } from '../../../lambdas/domain/rooms/room-admin.js';
import { PostCommentBody } from '../../../lambdas/domain/feed/comment.js';
import { ChatError } from '../../../lambdas/domain/errors.js';
import { NoticeBody, PlanBody } from '../../../lambdas/admin-api.js';
import { errorResult } from '../../../lambdas/handlers/http.js';
import { ErrorBody, openApiDocument, operationDocs } from '../../../lambdas/openapi.js';
import { gatewayResponses, routeKey, routes } from '../../../lambdas/routes.js';

type Json = Record<string, unknown>;
const document = openApiDocument();
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Every operation of the document as `[METHOD path, operation]`. */
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, op]) => [`${method.toUpperCase()} ${path}`, op as Json] as const),
);
const operation = (key: string) => operations.find(([k]) => k === key)![1];

/** Every value under `node`, depth first. */
function* walk(node: unknown): Generator<unknown> {
  yield node;
  if (node && typeof node === 'object') for (const child of Object.values(node)) yield* walk(child);
}

/** Follows a local JSON pointer (`#/components/schemas/Room`) from the document's root. */
function resolve(ref: string): unknown {
  expect(ref.startsWith('#/')).toBe(true);
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, part) => (node as Json | undefined)?.[part], document);
}

const schemaOf = (name: string) => document.components.schemas[name] as Json;

/** What a JSON Schema object's top level says of a body: required fields present, no others if closed. */
function topLevelAccepts(schema: Json, body: Json): boolean {
  const required = (schema.required as string[] | undefined) ?? [];
  const known = Object.keys(schema.properties as Json);
  return (
    required.every((field) => field in body) &&
    (schema.additionalProperties !== false || Object.keys(body).every((field) => known.includes(field)))
  );
}

describe('the OpenAPI document', () => {
  it('is an OpenAPI 3.1 document with a title, a version and the viewer and admin tags', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info.title).toBeTruthy();
    expect(document.info.version).toBeTruthy();
    expect(document.tags.map((t) => t.name)).toEqual(['viewer', 'admin']);
    // Survives JSON: what /openapi.json serves is the same document.
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it('describes every route of the route table with its method, and nothing else', () => {
    expect(operations.map(([key]) => key).sort()).toEqual(routes.map(routeKey).sort());
    expect(Object.keys(operationDocs).sort()).toEqual(routes.map(routeKey).sort());
  });

  it('declares each `{name}` of a path as a required path parameter, and no other', () => {
    for (const [key, op] of operations) {
      const path = key.split(' ')[1]!;
      const named = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters as Json[]).filter((p) => p.in === 'path');
      expect(
        declared.map((p) => p.name),
        key,
      ).toEqual(named);
      expect(
        declared.every((p) => p.required === true && typeof p.schema === 'object'),
        key,
      ).toBe(true);
    }
  });

  it('tags each operation, answers a success and the shared error body for 4XX and 5XX', () => {
    for (const [key, op] of operations) {
      expect(op.tags, key).toEqual([key.includes(' /admin/') ? 'admin' : 'viewer']);
      expect(op.summary, key).toBeTruthy();
      const responses = op.responses as Json;
      expect(
        Object.keys(responses).filter((status) => /^2\d\d$/.test(status)),
        key,
      ).toHaveLength(1);
      expect(responses['4XX'], key).toEqual({ $ref: '#/components/responses/Error' });
      expect(responses['5XX'], key).toEqual({ $ref: '#/components/responses/Error' });
    }
  });

  it('resolves every $ref, and carries no $schema or $id inside', () => {
    const refs = [...walk(document)].flatMap((node) =>
      node && typeof node === 'object' && '$ref' in node ? [(node as { $ref: string }).$ref] : [],
    );
    expect(refs.length).toBeGreaterThan(30);
    for (const ref of refs) expect(resolve(ref), ref).toBeTypeOf('object');
    const keys = [...walk(document)].flatMap((node) =>
      node && typeof node === 'object' && !Array.isArray(node) ? Object.keys(node) : [],
    );
    expect(keys).not.toContain('$schema');
    expect(keys).not.toContain('$id');
  });

  it('asks for the viewer token to post, the admin token on every admin route, and nothing to read', () => {
    const schemes = Object.keys(document.components.securitySchemes);
    for (const [key, op] of operations) {
      const wanted = key.startsWith('POST /v1/')
        ? [{ viewerToken: [] }]
        : key.includes(' /admin/')
          ? [{ adminToken: [] }]
          : undefined;
      expect(op.security, key).toEqual(wanted);
      for (const requirement of (op.security as Json[] | undefined) ?? []) {
        expect(schemes).toEqual(expect.arrayContaining(Object.keys(requirement)));
      }
    }
    expect(document.components.securitySchemes.viewerToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('documents request bodies as the zod schemas read them: required fields, no others', () => {
    const samples: [string, $ZodType, Json][] = [
      ['PostCommentRequest', PostCommentBody, { text: 'hi', clientMessageId: 'm-1' }],
      ['PostCommentRequest', PostCommentBody, { text: 'hi' }],
      ['PostCommentRequest', PostCommentBody, { text: 'hi', clientMessageId: 'm-1', userId: 'u-1' }],
      ['CreateRoomRequest', CreateRoomRequest, { channelId: 'label-a', title: 'Concert' }],
      ['CreateRoomRequest', CreateRoomRequest, { title: 'Concert' }],
      ['CreateRoomRequest', CreateRoomRequest, { channelId: 'label-a', title: 'Concert', status: 'open' }],
      ['NoticeRequest', NoticeBody, { roomId: '*', level: 'info', text: 'Doors open' }],
      ['NoticeRequest', NoticeBody, { roomId: '*', text: 'Doors open' }],
      ['PlanRequest', PlanBody, { maxComments: 5000, days: 40 }],
      ['PlanRequest', PlanBody, { maxComments: 5000, days: 40, expectedVersion: 2 }],
      ['PlanRequest', PlanBody, { maxComments: 5000 }],
      ['PlanRequest', PlanBody, { maxComments: 5000, days: 40, version: 2 }],
    ];
    for (const [name, schema, body] of samples) {
      expect(topLevelAccepts(schemaOf(name), body), `${name} ${JSON.stringify(body)}`).toBe(
        safeParse(schema, body).success,
      );
    }
    expect(schemaOf('PostCommentRequest')).toMatchObject({
      type: 'object',
      required: ['text', 'clientMessageId'],
      additionalProperties: false,
      properties: { clientMessageId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } },
    });
    expect(operation('POST /v1/rooms/{roomId}/comments').requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/PostCommentRequest' } } },
    });
  });

  it("documents the plan's run-now as 202 with the queued job, and the plan read as its schema", () => {
    const responses = operation('POST /admin/v1/channels/{channelId}/plan/runs').responses as Json;
    expect(Object.keys(responses)).toContain('202');
    expect(schemaOf('PlanView')).toMatchObject({
      required: expect.arrayContaining(['channelId', 'plan', 'version', 'lastRun']),
      additionalProperties: false,
    });
  });

  it('documents a ban’s body as optional, as the route takes none for a permanent ban', () => {
    const body = operation('PUT /admin/v1/rooms/{roomId}/bans/{userId}').requestBody as Json;
    expect(body.required).toBe(false);
    expect(schemaOf('BanRequest').required).toBeUndefined();
  });

  it('documents query parameters as the strings the API reads, none required', () => {
    const parameters = operation('GET /admin/v1/rooms').parameters as Json[];
    expect(parameters.filter((p) => p.in === 'query')).toEqual([
      expect.objectContaining({
        name: 'channelId',
        required: false,
        schema: expect.objectContaining({ type: 'string' }),
      }),
      expect.objectContaining({
        name: 'limit',
        required: false,
        schema: expect.objectContaining({ type: 'string' }),
      }),
      expect.objectContaining({ name: 'cursor', required: false }),
    ]);
  });

  it('references the domain schemas from the response envelopes', () => {
    expect(schemaOf('CommentCreated')).toMatchObject({
      properties: { comment: { $ref: '#/components/schemas/Comment' } },
      required: ['comment'],
    });
    expect(schemaOf('Room').required).toEqual(expect.arrayContaining(['roomId', 'version', 'settings']));
  });

  it('names the error body the functions and the gateway send', () => {
    const logger = { error: () => undefined, warn: () => undefined };
    const bodies = [
      errorResult(
        new ChatError(429, 'slow_mode', 'Wait.', { retryable: true, retryAfterSec: 5 }),
        false,
        logger,
      ),
      errorResult(new Error('boom'), false, logger),
    ].map((result) => JSON.parse(result.body) as unknown);
    const gateway = Object.values(gatewayResponses).map(({ status: _status, ...body }) => body);
    for (const body of [...bodies, ...gateway])
      expect(ErrorBody.safeParse(body).success, JSON.stringify(body)).toBe(true);
    expect(schemaOf('Error')).toMatchObject({
      required: ['code', 'message', 'retryable'],
      additionalProperties: false,
    });
  });
});
