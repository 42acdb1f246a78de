import {
  createSourceEventStream,
  defaultFieldResolver,
  execute,
  getOperationAST,
  locatedError,
  parse,
  responsePathAsArray,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { authenticate, normaliseHeaders, type AuthConfig, type AuthResult } from './auth.js';
import { invokeResolver, type ResolverCall, type ResolverMap } from './resolvers.js';
import { allowedModes, subscribedMutations, type AuthMode } from './schema.js';
import { fieldError, httpError, startError, unauthorized, type AppSyncError } from './errors.js';
import { eventOf, resolverView } from './selection.js';
import { SubscriptionRegistry, type Deliver, type Subscription } from './subscriptions.js';
import type { GatewayRequest } from '../api-gateway.js';

export interface HttpResult {
  readonly status: number;
  readonly body: { data?: unknown; errors?: AppSyncError[] };
}

export type StartResult =
  | { readonly ok: true; readonly subscription: Subscription }
  | { readonly ok: false; readonly errors: AppSyncError[] };

export interface EngineOptions {
  readonly auth: AuthConfig;
  /** The API's default authorization mode. Default API_KEY. */
  readonly defaultMode?: AuthMode;
  /** The path the GraphQL endpoint is served at (what IAM signatures of realtime requests cover). */
  readonly graphqlPath?: string;
}

export interface EngineStats {
  /** Successful mutations that subscriptions listen to (each fanned out once). */
  readonly published: number;
  /** `data` messages handed to subscribers. */
  readonly delivered: number;
  readonly subscriptions: number;
}

/** Who calls, and how: what a resolver sees besides its arguments. */
interface Caller {
  readonly auth: Extract<AuthResult, { ok: true }>;
  readonly headers: Record<string, string>;
  /** As the client sent them: the resolvers' `ctx.info.variables`. */
  readonly variables: Record<string, unknown>;
}

interface ExecutionContext extends Caller {
  /** `util.appendError` calls: reported beside the fields' values. */
  readonly appended: AppSyncError[];
  /** Subscribed mutation fields that ran: their results are fanned out once execution ends. */
  readonly published: GraphQLResolveInfo[];
}

/** An HTTP answer with one error; `data: null` once the request has reached GraphQL. */
const failed = (status: number, errorType: string, message: string): HttpResult => ({
  status,
  body: { ...(status === 200 ? { data: null } : {}), errors: [{ errorType, message }] },
});

const refusedStart = (errorType: string, message: string, errorCode?: number): StartResult => ({
  ok: false,
  errors: [{ errorType, message, ...(errorCode ? { errorCode } : {}) }],
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isDocument = (parsed: DocumentNode | readonly GraphQLError[]): parsed is DocumentNode =>
  'kind' in parsed;

/** A GraphQL-over-HTTP body, or a realtime `start`'s `data`. */
function readRequest(json: string) {
  try {
    const body = JSON.parse(json) as unknown;
    if (!isRecord(body) || typeof body.query !== 'string') return undefined;
    return {
      query: body.query,
      variables: isRecord(body.variables) ? body.variables : {},
      operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
    };
  } catch {
    return undefined;
  }
}

function resolverCall(
  caller: Caller,
  args: Record<string, unknown>,
  info: GraphQLResolveInfo,
  source?: unknown,
): ResolverCall {
  const selection = resolverView(info.fieldNodes[0]);
  return {
    args,
    identity: caller.auth.identity,
    authType: caller.auth.authType,
    source,
    headers: caller.headers,
    variables: caller.variables,
    selectionSetList: selection.list,
    selectionSetGraphQL: selection.graphql,
  };
}

/** graphql-js asks a subscription field for its event stream; AppSync's events come from mutations instead. */
const NO_SOURCE_EVENTS: AsyncIterable<never> = {
  [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }),
};

/** Documents kept parsed and validated; past this many, the cache starts over. */
const MAX_DOCUMENTS = 1000;

/**
 * The GraphQL side of the local AppSync endpoint, on graphql-js: runs queries
 * and mutations with AppSync's per-field authorization and the resolver
 * bundles, accepts subscriptions (running their resolvers for the enhanced
 * filter), and fans each subscribed mutation's result out to the
 * subscriptions that match it.
 */
export class AppSyncEngine {
  private readonly defaultMode: AuthMode;
  private readonly graphqlPath: string;
  private readonly documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  private readonly denials = new WeakMap<DocumentNode, Map<AuthMode, readonly GraphQLError[]>>();
  private readonly registry = new SubscriptionRegistry();
  /** Mutation name → subscription fields that `@aws_subscribe` to it. */
  private readonly subscribers = new Map<string, string[]>();
  private published = 0;
  private delivered = 0;

  constructor(
    readonly schema: GraphQLSchema,
    private readonly resolvers: ResolverMap,
    private readonly options: EngineOptions,
  ) {
    this.defaultMode = options.defaultMode ?? 'API_KEY';
    this.graphqlPath = options.graphqlPath ?? '/graphql';
    for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
      for (const mutation of subscribedMutations(field)) {
        this.subscribers.set(mutation, [...(this.subscribers.get(mutation) ?? []), field.name]);
      }
    }
  }

  stats(): EngineStats {
    return { published: this.published, delivered: this.delivered, subscriptions: this.registry.size };
  }

  /** Open subscriptions to `fieldName` whose arguments include `args` (e.g. one room's `onRoomEvent`). */
  countSubscriptions(fieldName: string, args: Record<string, unknown> = {}): number {
    return this.registry.countMatching(fieldName, args);
  }

  /** Keeps a prepared subscription until the returned function is called. */
  register(subscription: Subscription, deliver: Deliver): () => void {
    return this.registry.add(subscription, deliver);
  }

  /** `POST /graphql`: `{query, variables, operationName}` → `{data, errors}`. */
  async executeHttp(request: GatewayRequest): Promise<HttpResult> {
    const body = readRequest(request.body);
    if (!body) return failed(400, 'MalformedHttpRequestException', 'Invalid request body.');
    const auth = await authenticate(request.headers, request, this.options.auth, request.sourceIp);
    if (!auth.ok) return failed(401, 'UnauthorizedException', auth.message);
    const document = this.document(body.query);
    if (!isDocument(document)) return { status: 200, body: { data: null, errors: document.map(httpError) } };
    if (getOperationAST(document, body.operationName)?.operation === 'subscription') {
      return failed(200, 'UnsupportedOperation', 'Subscriptions are served over the realtime endpoint.');
    }

    const { headers } = request;
    const context: ExecutionContext = {
      auth,
      headers,
      variables: body.variables,
      appended: [],
      published: [],
    };
    const result = execute({
      schema: this.schema,
      document,
      variableValues: body.variables,
      operationName: body.operationName,
      contextValue: context,
      fieldResolver: this.fieldResolver,
    }) as ExecutionResult; // The resolvers are synchronous, so execution is.
    for (const info of context.published) this.publish(info, result.data?.[info.path.key]);
    const errors = [...(result.errors ?? []).map(httpError), ...context.appended];
    return { status: 200, body: { data: result.data ?? null, ...(errors.length > 0 ? { errors } : {}) } };
  }

  /** Parsed and validated once per query text: clients send the same few documents again and again. */
  private document(query: string): DocumentNode | readonly GraphQLError[] {
    let document = this.documents.get(query);
    if (!document) {
      try {
        const parsed = parse(query);
        const errors = validate(this.schema, parsed);
        document = errors.length > 0 ? errors : parsed;
      } catch (error) {
        document = [error as GraphQLError];
      }
      if (this.documents.size >= MAX_DOCUMENTS) this.documents.clear();
      this.documents.set(query, document);
    }
    return document;
  }

  /** AppSync's rule: the field's directives, else its type's, else the API's default mode. */
  private allows(typeName: string, fieldName: string, mode: AuthMode): boolean {
    return allowedModes(this.schema, typeName, fieldName, this.defaultMode).includes(mode);
  }

  /** Authorization per field, then the field's resolver bundle if it has one. */
  private readonly fieldResolver: GraphQLFieldResolver<unknown, ExecutionContext> = (
    source,
    args,
    context,
    info,
  ) => {
    const typeName = info.parentType.name;
    if (!this.allows(typeName, info.fieldName, context.auth.mode))
      throw unauthorized(typeName, info.fieldName);
    if (!info.path.prev && info.operation.operation === 'mutation' && this.subscribers.has(info.fieldName)) {
      context.published.push(info);
    }
    const resolver = this.resolvers.get(`${typeName}.${info.fieldName}`);
    if (!resolver) return defaultFieldResolver(source, args, context, info);
    const outcome = invokeResolver(resolver, resolverCall(context, args, info, source));
    for (const appended of outcome.scope.appendedErrors) {
      const error = locatedError(fieldError(appended), info.fieldNodes, responsePathAsArray(info.path));
      context.appended.push(httpError(error));
    }
    if (!outcome.ok) throw fieldError(outcome.error);
    return outcome.value;
  };

  /** AppSync fans a subscribed mutation's result out: each matching subscription gets the fields it selected. */
  private publish(info: GraphQLResolveInfo, value: unknown): void {
    const event = eventOf(info, value);
    if (!isRecord(event)) return; // The mutation failed: nothing to send.
    this.published++;
    this.delivered += this.registry.publish(this.subscribers.get(info.fieldName)!, event);
  }

  /**
   * A realtime `start`: `data` is the JSON string `{query, variables}`,
   * `authorization` the headers that authorize it. graphql-js picks the
   * operation, coerces the variables and collects the subscription field;
   * its resolver runs (request, then response) for the filter it sets.
   */
  async prepareSubscription(
    data: unknown,
    authorization: Record<string, unknown>,
    sourceIp = '127.0.0.1',
  ): Promise<StartResult> {
    if (typeof data !== 'string')
      return refusedStart('MalformedRequest', 'payload.data must be a JSON string.');
    const request = { method: 'POST', path: this.graphqlPath, body: data };
    const auth = await authenticate(authorization, request, this.options.auth, sourceIp);
    if (!auth.ok) return refusedStart('UnauthorizedException', auth.message, 401);
    const body = readRequest(data);
    if (!body) return refusedStart('MalformedRequest', 'payload.data must be JSON holding a query.');
    const document = this.document(body.query);
    if (!isDocument(document)) return { ok: false, errors: document.map(startError) };
    const operation = getOperationAST(document, body.operationName);
    if (!operation) {
      return refusedStart('ValidationError', 'The document must hold exactly one operation, or name one.');
    }
    if (operation.operation !== 'subscription') {
      return refusedStart(
        'UnsupportedOperation',
        `${operation.operation} not supported through the realtime channel`,
      );
    }
    const denied = this.deniedFields(document, auth.mode);
    if (denied.length > 0) return { ok: false, errors: denied.map(startError) };

    const caller: Caller = { auth, headers: normaliseHeaders(authorization), variables: body.variables };
    let subscription: Subscription | undefined;
    const stream = await createSourceEventStream({
      schema: this.schema,
      document,
      variableValues: body.variables,
      operationName: body.operationName,
      subscribeFieldResolver: (_source, args: Record<string, unknown>, _context, info) => {
        subscription = this.subscription(caller, args, info, data);
        return NO_SOURCE_EVENTS;
      },
    });
    if (subscription) return { ok: true, subscription };
    return { ok: false, errors: ('errors' in stream ? (stream.errors ?? []) : []).map(startError) };
  }

  /** Fields of `document` that `mode` may not read: once per document and mode, as validation is. */
  private deniedFields(document: DocumentNode, mode: AuthMode): readonly GraphQLError[] {
    const byMode = this.denials.get(document) ?? new Map<AuthMode, readonly GraphQLError[]>();
    this.denials.set(document, byMode);
    const denied = byMode.get(mode) ?? validate(this.schema, document, [this.authorizedFor(mode)]);
    byMode.set(mode, denied);
    return denied;
  }

  /** For subscriptions, AppSync refuses the start if the caller's mode may not read every field selected. */
  private authorizedFor(mode: AuthMode): ValidationRule {
    return (context) => ({
      Field: (node) => {
        const parent = context.getParentType();
        const fieldName = node.name.value;
        if (parent && fieldName !== '__typename' && !this.allows(parent.name, fieldName, mode)) {
          context.reportError(locatedError(unauthorized(parent.name, fieldName), [node]));
        }
      },
    });
  }

  /** Runs the subscription field's resolver and keeps the enhanced filter it set, if any. */
  private subscription(
    caller: Caller,
    args: Record<string, unknown>,
    info: GraphQLResolveInfo,
    data: string,
  ): Subscription {
    const resolver = this.resolvers.get(`${info.parentType.name}.${info.fieldName}`);
    const outcome = resolver && invokeResolver(resolver, resolverCall(caller, args, info));
    if (outcome && !outcome.ok) throw fieldError(outcome.error);
    const filter = outcome?.scope.subscriptionFilter;
    return {
      fieldName: info.fieldName,
      args: Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null && v !== undefined)),
      ...(filter ? { filter } : {}),
      responseKey: String(info.path.key),
      selection: info,
      // The same request text selects the same fields with the same arguments; the filter may depend on the caller.
      key: `${data}\n${JSON.stringify(filter ?? null)}`,
    };
  }
}
