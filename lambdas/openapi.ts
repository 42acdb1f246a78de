/**
 * The OpenAPI 3.1 document of the viewer and admin APIs (ADR 0027), built from the route table and
 * the zod schemas the handlers validate with — one source, so the document cannot drift from what
 * the API accepts. The local runtime serves it at `GET /openapi.json`; no Lambda bundle imports it.
 */
import * as z from 'zod';
import {
  ArtistMessageBody,
  CloseRoomRequest,
  CommentId,
  ConnectionFormat,
  Cursor,
  Limit,
  Minutes,
  NgWordsBody,
  NoticeBody,
  PlanBody,
  PurgeBody,
  RunRequest,
} from './admin-api.js';
import type { $ZodType } from 'zod/v4/core';
import { AuditEntry } from './domain/access/audit.js';
import { LimitJob } from './domain/limits/job.js';
import { PlanView } from './domain/limits/plan-admin.js';
import { Comment, PostCommentBody } from './domain/feed/comment.js';
import { BanBody, BlockBody } from './domain/moderation/ban-actions.js';
import { NgWordList } from './domain/moderation/moderation.js';
import { CreateRoomRequest, UpdateRoomRequest } from './domain/rooms/room-admin.js';
import { ChannelId, Room, RoomId, UserId } from './domain/rooms/room.js';
import { routeKey, routes, type Route } from './routes.js';

type JsonSchema = Record<string, unknown>;

/** How one route is documented: the schemas it validates with, and its main success response. */
export interface OperationDoc {
  readonly summary: string;
  /** Query parameters and the schemas the operation checks them with. */
  readonly query?: Readonly<Record<string, $ZodType>>;
  /**
   * The request body: a component name and the schema `jsonBody` parses with. `optional`: an
   * empty body is read as `{}` (the PUTs of bans and blocks).
   */
  readonly body?: Named & { readonly optional?: boolean };
  readonly response: {
    readonly status: 200 | 201 | 202;
    readonly description: string;
    /** Left out where the body is built by code with no zod schema: the response is described only. */
    readonly schema?: Named;
    /** Default `application/json`. */
    readonly contentType?: string;
  };
}

interface Named {
  readonly name: string;
  readonly schema: $ZodType;
}
const named = (name: string, schema: $ZodType): Named => ({ name, schema });

/**
 * The error body of every 4xx and 5xx, the functions' and the gateway's alike. Built by
 * `errorResult` (handlers/http.ts) and `gatewayResponses` (routes.ts), which have no schema of
 * their own; a unit test parses their output with this one.
 */
export const ErrorBody = z.strictObject({
  code: z.string().describe('Stable, machine-readable: what to branch on.'),
  message: z.string().describe('For people: what happened and what to do.'),
  retryable: z.boolean().describe('Whether the same request may succeed later.'),
  retryAfterSec: z.number().int().min(1).optional().describe('Also sent as `Retry-After`.'),
});

/**
 * Response envelopes around the domain's schemas: the handlers build these objects inline
 * (`{ comment }`, `{ room, pushed }`). Loose where the handler may add fields with no schema
 * (a room change's `schedules`).
 */
const CommentCreated = z.strictObject({ comment: Comment });
const RoomCreated = z.looseObject({ room: Room });
const RoomRead = z.strictObject({ room: Room });
const RoomChanged = z.looseObject({ room: Room, pushed: z.boolean() });
const ItemCreated = z.strictObject({ item: Comment, pushed: z.boolean() });
const AuditPage = z.strictObject({ entries: z.array(AuditEntry), nextCursor: z.string().optional() });
/** A plan change: the plan as stored and the job queued for it (null when it could not be queued). */
const PlanChanged = PlanView.extend({ job: z.nullable(LimitJob) });
const PlanRemoved = z.strictObject({
  channelId: z.string(),
  removed: z.boolean(),
  job: z.nullable(LimitJob),
});
const PlanRunQueued = z.strictObject({ job: LimitJob, previousFinishedAt: z.string().nullable() });

/** Path parameters by name; those without a schema (parsed by the domain) are described only. */
const PATH_PARAMETERS: Readonly<Record<string, { schema?: $ZodType; description: string }>> = {
  roomId: { schema: RoomId, description: 'The room.' },
  channelId: { schema: ChannelId, description: 'The channel (it owns rooms).' },
  userId: { schema: UserId, description: "The viewer's user id, as the host service's token names it." },
  commentId: { schema: CommentId, description: "The feed item's id (a ULID)." },
  tick: { description: 'A poll tick: floor(time in ms ÷ the poll interval in ms) (ADR 0019).' },
  n: { description: 'A segment number: floor(time in s ÷ the segment length) (ADR 0004).' },
};

const page = { limit: Limit, cursor: Cursor };

/** Every route of lambdas/routes.ts, by route key (a unit test keeps both lists equal). */
export const operationDocs: Readonly<Record<string, OperationDoc>> = {
  'POST /v1/rooms/{roomId}/comments': {
    summary: 'Post a comment',
    body: named('PostCommentRequest', PostCommentBody),
    response: {
      status: 201,
      description:
        'The stored comment. A retry with the same `clientMessageId` answers the same comment with `Idempotent-Replayed: true`.',
      schema: named('CommentCreated', CommentCreated),
    },
  },
  'GET /v1/rooms/{roomId}/live': {
    summary: 'The live edge of a room',
    response: {
      status: 200,
      description:
        "The current tick's document: room, window, segment, comments (each with `vpos`, its offset from the event's start in hundredths of a second), tombstones, bans, purges, pollAfterMs (README: HTTP API).",
    },
  },
  'GET /v1/rooms/{roomId}/live/{tick}': {
    summary: "One poll tick's live document",
    response: { status: 200, description: 'The live document of the tick, cached until the tick expires.' },
  },
  'GET /v1/rooms/{roomId}/segments/{n}': {
    summary: 'One time segment of a room',
    response: {
      status: 200,
      description:
        "The segment's comments (each with `vpos`) and tombstones, oldest first; `closed` once nothing can be added.",
    },
  },
  'GET /v1/rooms/{roomId}': {
    summary: 'Public room info',
    response: {
      status: 200,
      description:
        "`{ room, currentSegment, eventStartsAt }`: the public room (no NG words or bans); `eventStartsAt` is where items' `vpos` counts from.",
    },
  },
  'GET /admin/v1/me': {
    summary: 'Who is signed in',
    response: { status: 200, description: '`{ userId, displayName, roles, channels }`.' },
  },
  'GET /admin/v1/rooms': {
    summary: 'List rooms',
    query: { channelId: z.optional(ChannelId), ...page },
    response: {
      status: 200,
      description:
        '`{ rooms, nextCursor? }`: rooms newest first, each without bans and purges (counted instead).',
    },
  },
  'POST /admin/v1/rooms': {
    summary: 'Create a room',
    body: named('CreateRoomRequest', CreateRoomRequest),
    response: {
      status: 201,
      description:
        "The room, and the capacity schedules it created (`schedules`). `Location` names the room's URL.",
      schema: named('RoomCreated', RoomCreated),
    },
  },
  'GET /admin/v1/rooms/{roomId}': {
    summary: 'Read a room',
    response: {
      status: 200,
      description: 'The room with its version, settings (NG words included), bans and purges.',
      schema: named('RoomRead', RoomRead),
    },
  },
  'PATCH /admin/v1/rooms/{roomId}': {
    summary: 'Change a room',
    body: named('UpdateRoomRequest', UpdateRoomRequest),
    response: {
      status: 200,
      description:
        'The room after the change; `pushed: false` when viewers get it with their next poll; `schedules` when its capacity schedules moved. A stale `version` gets 409 `stale_version`.',
      schema: named('RoomChanged', RoomChanged),
    },
  },
  'POST /admin/v1/rooms/{roomId}/close': {
    summary: 'Close a room',
    body: named('CloseRoomRequest', CloseRoomRequest),
    response: { status: 200, description: 'The closed room.', schema: named('RoomChanged', RoomChanged) },
  },
  'GET /admin/v1/rooms/{roomId}/connection': {
    summary: 'What a player needs to join the room',
    query: { format: ConnectionFormat },
    response: {
      status: 200,
      description:
        'URLs, API key, subscription documents and poll interval; with `?format=snippet`, the embed snippet as `text/html`.',
    },
  },
  'GET /admin/v1/rooms/{roomId}/comments': {
    summary: "A room's feed for moderation",
    query: page,
    response: {
      status: 200,
      description: '`{ comments, nextCursor? }`: newest first, deleted and purged items marked.',
    },
  },
  'DELETE /admin/v1/rooms/{roomId}/comments/{commentId}': {
    summary: 'Delete a feed item',
    response: {
      status: 200,
      description: '`{ commentId, outcome, pushed }`; a second delete changes nothing.',
    },
  },
  'POST /admin/v1/rooms/{roomId}/purges': {
    summary: "Hide a user's comments so far",
    body: named('PurgeRequest', PurgeBody),
    response: { status: 200, description: '`{ purge, pushed }`.' },
  },
  'GET /admin/v1/rooms/{roomId}/bans': {
    summary: 'Bans in force for a room',
    response: { status: 200, description: "`{ bans }`: the room's own and its channel's (bans and blocks)." },
  },
  'PUT /admin/v1/rooms/{roomId}/bans/{userId}': {
    summary: 'Ban a user from a room',
    body: { ...named('BanRequest', BanBody), optional: true },
    response: { status: 200, description: '`{ ban, pushed }`. No body: a permanent ban.' },
  },
  'DELETE /admin/v1/rooms/{roomId}/bans/{userId}': {
    summary: 'Lift a room ban',
    response: { status: 200, description: '`{ userId, scope, lifted, pushed }`.' },
  },
  'POST /admin/v1/rooms/{roomId}/artist-messages': {
    summary: 'Send an artist message',
    body: named('ArtistMessageRequest', ArtistMessageBody),
    response: {
      status: 201,
      description:
        'The feed item, and whether the push went out (if not, viewers get it on their next poll).',
      schema: named('ItemCreated', ItemCreated),
    },
  },
  'GET /admin/v1/rooms/{roomId}/stats': {
    summary: "A room's statistics",
    query: { minutes: Minutes },
    response: {
      status: 200,
      description:
        'Comments per minute, total, distinct posters; poll requests and realtime connections (`estimates` names what is estimated).',
    },
  },
  'GET /admin/v1/rooms/{roomId}/capacity': {
    summary: "A room's capacity plan and cost",
    response: {
      status: 200,
      description:
        "`{ capacity }`: the plan, its scale-up and scale-down times, the event's cost and the alternatives.",
    },
  },
  'GET /admin/v1/rooms/{roomId}/audit': {
    summary: "A room's audit log",
    query: page,
    response: { status: 200, description: 'Entries newest first.', schema: named('AuditPage', AuditPage) },
  },
  'GET /admin/v1/rooms/{roomId}/audit/export': {
    summary: "Export a room's audit log",
    response: {
      status: 200,
      contentType: 'application/x-ndjson',
      description:
        'One `AuditEntry` per line, newest first; `X-Audit-Entries` and `X-Audit-Truncated` say how many and whether the oldest were cut.',
    },
  },
  'GET /admin/v1/channels/{channelId}/bans': {
    summary: "A channel's bans",
    response: { status: 200, description: '`{ bans }`.' },
  },
  'PUT /admin/v1/channels/{channelId}/bans/{userId}': {
    summary: 'Ban a user from every room of a channel',
    body: { ...named('BanRequest', BanBody), optional: true },
    response: { status: 200, description: '`{ ban, fanout }`. No body: a permanent ban.' },
  },
  'DELETE /admin/v1/channels/{channelId}/bans/{userId}': {
    summary: 'Lift a channel ban',
    response: { status: 200, description: '`{ userId, scope, lifted, fanout }`.' },
  },
  'GET /admin/v1/channels/{channelId}/blocks': {
    summary: "A channel's block list",
    response: { status: 200, description: '`{ blocks }`.' },
  },
  'PUT /admin/v1/channels/{channelId}/blocks/{userId}': {
    summary: 'Block a user from a channel',
    body: { ...named('BlockRequest', BlockBody), optional: true },
    response: { status: 200, description: '`{ block, fanout }`. No body: a block without a reason.' },
  },
  'DELETE /admin/v1/channels/{channelId}/blocks/{userId}': {
    summary: 'Unblock a user',
    response: { status: 200, description: '`{ userId, scope, lifted, fanout }`.' },
  },
  'GET /admin/v1/audit': {
    summary: "A channel's or the deployment's audit log",
    query: { channelId: z.optional(ChannelId), ...page },
    response: { status: 200, description: 'Entries newest first.', schema: named('AuditPage', AuditPage) },
  },
  'GET /admin/v1/capacity': {
    summary: "The deployment's capacity plan",
    response: {
      status: 200,
      description:
        'What applies now, steps over time across overlapping events, warnings, the coefficients used.',
    },
  },
  'POST /admin/v1/capacity/runs': {
    summary: 'Run the scaler now, or a dry run',
    body: named('CapacityRunRequest', RunRequest),
    response: {
      status: 200,
      description: '`{ run }`: the plan and the exact AWS calls, made or (dry run) not.',
    },
  },
  'POST /admin/v1/notices': {
    summary: 'Send a notice to one room or every room',
    body: named('NoticeRequest', NoticeBody),
    response: {
      status: 201,
      description: 'The feed item, and whether the push went out.',
      schema: named('ItemCreated', ItemCreated),
    },
  },
  'GET /admin/v1/ng-words': {
    summary: 'The global NG words',
    response: {
      status: 200,
      description: 'The list and its version.',
      schema: named('NgWordList', NgWordList),
    },
  },
  'PUT /admin/v1/ng-words': {
    summary: 'Replace the global NG words',
    body: named('NgWordsRequest', NgWordsBody),
    response: {
      status: 200,
      description: 'The stored list. A stale `version` gets 409.',
      schema: named('NgWordList', NgWordList),
    },
  },
  'GET /admin/v1/channels/{channelId}/plan': {
    summary: "A channel's view-limit plan and its last computation",
    response: {
      status: 200,
      description:
        'The plan (N, D), its version and the last run kept on it. A channel without a plan answers 200 with `plan`, `version` and `lastRun` null.',
      schema: named('PlanView', PlanView),
    },
  },
  'PUT /admin/v1/channels/{channelId}/plan': {
    summary: "Set or replace a channel's view-limit plan",
    body: named('PlanRequest', PlanBody),
    response: {
      status: 200,
      description:
        'The stored plan and the `plan-changed` job queued to recompute it (`job: null` when it could not be queued: the schedule computes it later). No `expectedVersion` creates the plan; a stale one, or creating over an existing plan, gets 409 `stale_version` naming the current version.',
      schema: named('PlanChanged', PlanChanged),
    },
  },
  'DELETE /admin/v1/channels/{channelId}/plan': {
    summary: "Remove a channel's view-limit plan",
    response: {
      status: 200,
      description:
        "Whether a plan was removed, and the `plan-changed` job queued to clear the channel's cutoffs (queued even without a plan).",
      schema: named('PlanRemoved', PlanRemoved),
    },
  },
  'POST /admin/v1/channels/{channelId}/plan/runs': {
    summary: "Compute a channel's cutoffs now",
    response: {
      status: 202,
      description:
        'The `run-now` job queued. Poll the plan until `lastRun.finishedAt` differs from `previousFinishedAt`. 404 `plan_not_found` without a plan.',
      schema: named('PlanRunQueued', PlanRunQueued),
    },
  },
};

/** Meta kept with each registered schema: its name under `components.schemas`. */
type Meta = { id: string };
const SCHEMAS = '#/components/schemas/';
const ERROR_RESPONSE = { $ref: '#/components/responses/Error' };

/** The document. Pure and deterministic: the same routes and schemas give the same JSON. */
export function openApiDocument() {
  // Requests are documented as the API accepts them (zod's input), responses as it sends them.
  const requests = z.registry<Meta>();
  const responses = z.registry<Meta>().add(Comment, { id: 'Comment' }).add(Room, { id: 'Room' });
  responses.add(AuditEntry, { id: 'AuditEntry' }).add(ErrorBody, { id: 'Error' });

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const doc = operationDocs[routeKey(route)];
    if (!doc) throw new Error(`no OpenAPI description for ${routeKey(route)}`);
    if (doc.body) requests.add(doc.body.schema, { id: doc.body.name });
    if (doc.response.schema) responses.add(doc.response.schema.schema, { id: doc.response.schema.name });
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, doc);
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Hybrid live chat',
      version: 'v1',
      description:
        'The viewer API (`/v1`: post comments; poll `live`, segments and room info through the CDN) and the admin API (`/admin/v1`). Generated from the route table and the zod schemas the handlers validate with. Realtime events go over AppSync (graphql/schema.graphql), not described here.',
    },
    tags: [
      {
        name: 'viewer',
        description: 'Public reads, cached by path at the CDN; posting with a viewer token.',
      },
      { name: 'admin', description: 'The control plane: a user pool ID token on every route; never cached.' },
    ],
    paths,
    components: {
      schemas: { ...componentSchemas(requests, 'input'), ...componentSchemas(responses, 'output') },
      responses: {
        Error: {
          description: 'An error: nothing was changed.',
          content: { 'application/json': { schema: { $ref: `${SCHEMAS}Error` } } },
        },
      },
      securitySchemes: {
        viewerToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "The host service's viewer token, verified against its JWKS (ADR 0005).",
        },
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "A Cognito ID token of the admin user pool; the gateway's authoriser checks it (ADR 0011).",
        },
      },
    },
  };
}
export type OpenApiDocument = ReturnType<typeof openApiDocument>;

function operation(route: Route, doc: OperationDoc) {
  const admin = route.auth === 'admin';
  const { response } = doc;
  return {
    tags: [admin ? 'admin' : 'viewer'],
    summary: doc.summary,
    ...(admin ? { security: [{ adminToken: [] }] } : {}),
    ...(route.function === 'postComment' ? { security: [{ viewerToken: [] }] } : {}),
    parameters: [...pathParameters(route.path), ...queryParameters(doc.query ?? {})],
    ...(doc.body
      ? {
          requestBody: {
            required: !doc.body.optional,
            content: { 'application/json': { schema: { $ref: SCHEMAS + doc.body.name } } },
          },
        }
      : {}),
    responses: {
      [response.status]: {
        description: response.description,
        content: {
          [response.contentType ?? 'application/json']: response.schema
            ? { schema: { $ref: SCHEMAS + response.schema.name } }
            : {},
        },
      },
      '4XX': ERROR_RESPONSE,
      '5XX': ERROR_RESPONSE,
    },
  };
}

function pathParameters(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => {
    const param = PATH_PARAMETERS[name!];
    if (!param) throw new Error(`no OpenAPI description for the path parameter ${name} of ${path}`);
    return {
      name: name!,
      in: 'path',
      required: true,
      description: param.description,
      schema: param.schema ? jsonSchema(param.schema) : { type: 'string' },
    };
  });
}

function queryParameters(query: Readonly<Record<string, $ZodType>>) {
  return Object.entries(query).map(([name, schema]) => ({
    name,
    in: 'query',
    required: !z.safeParse(schema, undefined).success,
    schema: jsonSchema(schema),
  }));
}

/**
 * One schema as the request sends it (a query string's text before zod turns it into a number).
 * Transforms and refinements have no JSON Schema: they are left out, and the API still checks them.
 */
function jsonSchema(schema: $ZodType): JsonSchema {
  return bare(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
}

/** Every registered schema, cross-references as `$ref`s into `components.schemas`. */
function componentSchemas(registry: z.core.$ZodRegistry<Meta>, io: 'input' | 'output') {
  const { schemas } = z.toJSONSchema(registry, {
    io,
    unrepresentable: 'any',
    uri: (id) => SCHEMAS + id,
  });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, bare(schema)]));
}

/**
 * Without `$schema` (the document's dialect is already 2020-12) and `$id` (zod sets it to the
 * component's address, which as an `$id` would carry a fragment, which 2020-12 forbids).
 */
function bare(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}
