import {
  createSourceEventStream,
  defaultFieldResolver,
  execute,
  getOperationAST,
  GraphQLError,
  locatedError,
  parse,
  responsePathAsArray,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { authenticate, type AuthConfig, type AuthResult } from './auth.js';
import { invokeResolver, type ResolverCall, type ResolverMap } from './resolvers.js';
import type { ResolverError } from './utils-runtime.js';
import { allowedModes, subscribedMutations, type AuthMode } from './schema.js';
import { eventOf, resolverView } from './selection.js';
import { SubscriptionRegistry, type Deliver, type Subscription } from './subscriptions.js';
import type { GatewayRequest } from '../api-gateway.js';
import type { SubscriptionFilter } from './filters.js';

/** One entry of a response's `errors`, shaped as AppSync shapes them. */
export interface AppSyncError {
  readonly message: string;
  readonly errorType?: string;
  readonly errorCode?: number;
  readonly path?: readonly (string | number)[] | null;
  readonly locations?: readonly { line: number; column: number; sourceName: null }[] | null;
  readonly data?: unknown;
  readonly errorInfo?: unknown;
}

export interface HttpResult {
  readonly status: number;
  readonly body: { data?: unknown; errors?: AppSyncError[] };
}

/** An HTTP request as the local servers see it (the same shape the API Gateway stand-in takes). */
export type IncomingGraphqlRequest = GatewayRequest;

export type PreparedSubscription = Subscription;

export type StartResult =
  | { readonly ok: true; readonly subscription: PreparedSubscription }
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

interface ExecutionContext {
  readonly auth: Extract<AuthResult, { ok: true }>;
  readonly headers: Record<string, string>;
  /** As the client sent them: what resolvers see as `ctx.info.variables`. */
  readonly variables: Record<string, unknown>;
  /** `util.appendError` calls: reported beside the fields' values. */
  readonly appended: AppSyncError[];
  /** Subscribed mutation fields that ran: their results are fanned out once execution ends. */
  readonly published: GraphQLResolveInfo[];
}

/** A field error carrying AppSync's error attributes through graphql-js. */
class FieldError extends Error {
  constructor(
    message: string,
    readonly errorType: string,
    readonly data: unknown = null,
    readonly errorInfo: unknown = null,
  ) {
    super(message);
  }
}

const fieldError = ({ message, errorType, data, errorInfo }: ResolverError) =>
  new FieldError(message, errorType ?? 'Code', data ?? null, errorInfo ?? null);

const unauthorizedMessage = (typeName: string, fieldName: string) =>
  `Not Authorized to access ${fieldName} on type ${typeName}`;

/** An error of an HTTP response: path and locations, and AppSync's attributes for resolver errors. */
function formatError(error: GraphQLError): AppSyncError {
  const original = error.originalError;
  const located = {
    path: error.path ?? null,
    locations: error.locations?.map((l) => ({ ...l, sourceName: null })) ?? null,
  };
  if (original instanceof FieldError) {
    const { data, errorType, errorInfo, message } = original;
    return { ...located, data, errorType, errorInfo, message };
  }
  return { ...located, errorType: original ? 'Code' : 'ValidationError', message: error.message };
}

/** An error of a realtime `start`: type and message only. */
const startError = (error: GraphQLError): AppSyncError => ({
  errorType: error.originalError instanceof FieldError ? error.originalError.errorType : 'ValidationError',
  message: error.message,
});

const failedStart = (errorType: string, message: string, extra: Partial<AppSyncError> = {}): StartResult => ({
  ok: false,
  errors: [{ errorType, message, ...extra }],
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** GraphQL-over-HTTP's body, and a realtime `start`'s `data`. */
interface GraphqlRequest {
  readonly query: string;
  readonly variables: Record<string, unknown>;
  readonly operationName: string | undefined;
}

function readRequest(json: string): GraphqlRequest | undefined {
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

/** graphql-js wants a subscription field's event stream; AppSync's events come from mutations instead. */
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

  /** `POST /graphql`: `{query, variables, operationName}` → `{data, errors}`. */
  async executeHttp(request: IncomingGraphqlRequest): Promise<HttpResult> {
    const body = readRequest(request.body);
    if (!body) {
      return {
        status: 400,
        body: { errors: [{ errorType: 'MalformedHttpRequestException', message: 'Invalid request body.' }] },
      };
    }
    const auth = await authenticate(request.headers, request, this.options.auth, request.sourceIp);
    if (!auth.ok) {
      return {
        status: 401,
        body: { errors: [{ errorType: 'UnauthorizedException', message: auth.message }] },
      };
    }
    const document = this.document(body.query);
    if (!('kind' in document))
      return { status: 200, body: { data: null, errors: document.map(formatError) } };
    if (getOperationAST(document, body.operationName)?.operation === 'subscription') {
      const message = 'Subscriptions are served over the realtime endpoint.';
      return { status: 200, body: { data: null, errors: [{ errorType: 'UnsupportedOperation', message }] } };
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
    for (const info of context.published) {
      const event = eventOf(info, result.data?.[info.path.key]);
      if (!isRecord(event)) continue;
      this.published++;
      this.delivered += this.registry.publish(this.subscribers.get(info.fieldName)!, event);
    }
    const errors = [...(result.errors ?? []).map(formatError), ...context.appended];
    return { status: 200, body: { data: result.data ?? null, ...(errors.length > 0 ? { errors } : {}) } };
  }

  /** Authorization per field (AppSync's directive rule), then the field's resolver bundle if it has one. */
  private readonly fieldResolver: GraphQLFieldResolver<unknown, ExecutionContext> = (
    source,
    args,
    context,
    info,
  ) => {
    const typeName = info.parentType.name;
    if (!allowedModes(this.schema, typeName, info.fieldName, this.defaultMode).includes(context.auth.mode)) {
      throw new FieldError(unauthorizedMessage(typeName, info.fieldName), 'Unauthorized');
    }
    if (info.operation.operation === 'mutation' && !info.path.prev && this.subscribers.has(info.fieldName)) {
      context.published.push(info);
    }
    const resolver = this.resolvers.get(`${typeName}.${info.fieldName}`);
    if (!resolver) return defaultFieldResolver(source, args, context, info);
    const call = this.resolverCall(args, context.auth, context.headers, context.variables, info);
    const outcome = invokeResolver(resolver, { ...call, source });
    for (const appended of outcome.scope.appendedErrors) {
      const path = responsePathAsArray(info.path);
      context.appended.push(formatError(locatedError(fieldError(appended), info.fieldNodes, path)));
    }
    if (!outcome.ok) throw fieldError(outcome.error);
    return outcome.value;
  };

  private resolverCall(
    args: Record<string, unknown>,
    auth: Extract<AuthResult, { ok: true }>,
    headers: Record<string, string>,
    variables: Record<string, unknown>,
    info: GraphQLResolveInfo,
  ): ResolverCall {
    const view = resolverView(info.fieldNodes[0]);
    return {
      args,
      identity: auth.identity,
      authType: auth.authType,
      headers,
      variables,
      selectionSetList: view.list,
      selectionSetGraphQL: view.graphql,
    };
  }

  /** AppSync's rule for subscriptions: every field selected must allow the caller's mode, or the start fails. */
  private authorizedFor(mode: AuthMode): ValidationRule {
    return (context) => ({
      Field: (node) => {
        const parent = context.getParentType();
        const fieldName = node.name.value;
        if (!parent || fieldName === '__typename') return;
        if (!allowedModes(this.schema, parent.name, fieldName, this.defaultMode).includes(mode)) {
          context.reportError(new GraphQLError(unauthorizedMessage(parent.name, fieldName), { nodes: node }));
        }
      },
    });
  }

  /**
   * A realtime `start`: `data` is the JSON string `{query, variables}`,
   * `authorization` the headers that authorize it. Runs the subscription
   * field's resolver (request, then response) and keeps the filter it set.
   */
  async prepareSubscription(
    data: unknown,
    authorization: Record<string, unknown>,
    sourceIp = '127.0.0.1',
  ): Promise<StartResult> {
    if (typeof data !== 'string')
      return failedStart('MalformedRequest', 'payload.data must be a JSON string.');
    const auth = await authenticate(
      authorization,
      { method: 'POST', path: this.graphqlPath, body: data },
      this.options.auth,
      sourceIp,
    );
    if (!auth.ok) return failedStart('UnauthorizedException', auth.message, { errorCode: 401 });
    const request = readRequest(data);
    if (!request) return failedStart('MalformedRequest', 'payload.data must be JSON holding a query.');
    const document = this.document(request.query);
    if (!('kind' in document)) return { ok: false, errors: document.map(startError) };
    const operation = getOperationAST(document, request.operationName);
    if (!operation) {
      return failedStart('ValidationError', 'The document must hold exactly one operation, or name one.');
    }
    if (operation.operation !== 'subscription') {
      return failedStart(
        'UnsupportedOperation',
        `${operation.operation} not supported through the realtime channel`,
      );
    }
    const denied = validate(this.schema, document, [this.authorizedFor(auth.mode)]);
    if (denied.length > 0) return failedStart('Unauthorized', denied[0]!.message);

    const headers = Object.fromEntries(
      Object.entries(authorization).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    let prepared: Omit<Subscription, 'key'> | undefined;
    const stream = await createSourceEventStream({
      schema: this.schema,
      document,
      variableValues: request.variables,
      operationName: request.operationName,
      subscribeFieldResolver: (_source, args: Record<string, unknown>, _context, info) => {
        const resolver = this.resolvers.get(`${info.parentType.name}.${info.fieldName}`);
        let filter: SubscriptionFilter | undefined;
        if (resolver) {
          const call = this.resolverCall(args, auth, headers, info.variableValues, info);
          const outcome = invokeResolver(resolver, call);
          if (!outcome.ok) throw fieldError(outcome.error);
          filter = outcome.scope.subscriptionFilter;
        }
        prepared = {
          fieldName: info.fieldName,
          args: Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null && v !== undefined)),
          ...(filter ? { filter } : {}),
          responseKey: String(info.path.key),
          selection: info,
        };
        return NO_SOURCE_EVENTS;
      },
    });
    if (!prepared)
      return { ok: false, errors: ('errors' in stream ? (stream.errors ?? []) : []).map(startError) };
    // The same request text means the same selection and arguments; the filter may depend on the caller.
    return {
      ok: true,
      subscription: { ...prepared, key: `${data}\n${JSON.stringify(prepared.filter ?? null)}` },
    };
  }

  /** Keeps a prepared subscription until the returned function is called. */
  register(subscription: PreparedSubscription, deliver: Deliver): () => void {
    return this.registry.add(subscription, deliver);
  }
}
