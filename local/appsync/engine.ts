import {
  defaultFieldResolver,
  execute,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isObjectType,
  Kind,
  parse,
  print,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { authenticate, type AuthConfig, type AuthResult } from './auth.js';
import { matchesFilter, type SubscriptionFilter } from './filters.js';
import { invokeResolver, type ResolverMap } from './resolvers.js';
import { allowedModes, subscribedMutations, type AuthMode } from './schema.js';
import type { GatewayRequest } from '../api-gateway.js';
import type { ResolverError } from './utils-runtime.js';

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

/** A `start` the engine accepted: what a published event is matched against and how its payload is shaped. */
export interface PreparedSubscription {
  readonly fieldName: string;
  /** The subscription field's arguments the client gave (null ones left out): argument-based filtering. */
  readonly args: Record<string, unknown>;
  /** The enhanced filter the field's resolver set, if any. */
  readonly filter?: SubscriptionFilter;
  readonly mode: AuthMode;
  readonly responseKey: string;
  readonly fieldNode: FieldNode;
  readonly fragments: Record<string, FragmentDefinitionNode>;
  readonly variables: Record<string, unknown>;
}

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

interface Registered {
  readonly subscription: PreparedSubscription;
  readonly deliver: (payload: { data: Record<string, unknown> }) => void;
}

interface ExecutionContext {
  readonly auth: Extract<AuthResult, { ok: true }>;
  readonly headers: Record<string, string>;
  readonly variables: Record<string, unknown>;
  readonly appended: AppSyncError[];
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

const unauthorizedMessage = (typeName: string, fieldName: string) =>
  `Not Authorized to access ${fieldName} on type ${typeName}`;

const locationsOf = (nodes: readonly FieldNode[]) =>
  nodes.flatMap((node) =>
    node.loc
      ? [{ line: node.loc.startToken.line, column: node.loc.startToken.column, sourceName: null }]
      : [],
  );

function formatError(error: GraphQLError): AppSyncError {
  const original = error.originalError;
  const located = {
    path: error.path ?? null,
    locations: error.locations?.map((l) => ({ ...l, sourceName: null })) ?? null,
  };
  if (original instanceof FieldError) {
    return {
      ...located,
      data: original.data,
      errorType: original.errorType,
      errorInfo: original.errorInfo,
      message: original.message,
    };
  }
  return { ...located, errorType: original ? 'Code' : 'ValidationError', message: error.message };
}

const fromResolverError = (error: ResolverError) =>
  new FieldError(error.message, error.errorType ?? 'Code', error.data ?? null, error.errorInfo ?? null);

/**
 * The GraphQL side of the local AppSync endpoint: runs queries and mutations
 * with per-directive authorization and the resolver bundles, accepts
 * subscriptions (running their resolvers for the enhanced filter), and fans
 * each subscribed mutation's result out to the subscriptions that match it.
 */
export class AppSyncEngine {
  private readonly defaultMode: AuthMode;
  private readonly graphqlPath: string;
  private readonly registry = new Set<Registered>();
  /** Mutation name → subscription fields that `@aws_subscribe` to it. */
  private readonly subscribers = new Map<string, Set<string>>();
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
        if (!this.subscribers.has(mutation)) this.subscribers.set(mutation, new Set());
        this.subscribers.get(mutation)!.add(field.name);
      }
    }
  }

  stats(): EngineStats {
    return { published: this.published, delivered: this.delivered, subscriptions: this.registry.size };
  }

  /** Open subscriptions to `fieldName` whose arguments include `args` (e.g. one room's `onRoomEvent`). */
  countSubscriptions(fieldName: string, args: Record<string, unknown> = {}): number {
    let count = 0;
    for (const { subscription } of this.registry) {
      if (
        subscription.fieldName === fieldName &&
        Object.entries(args).every(([name, value]) => subscription.args[name] === value)
      ) {
        count++;
      }
    }
    return count;
  }

  /** `POST /graphql`: `{query, variables, operationName}` → `{data, errors}`. */
  async executeHttp(request: IncomingGraphqlRequest): Promise<HttpResult> {
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(request.body) as typeof body;
      if (typeof body !== 'object' || body === null || typeof body.query !== 'string') throw new Error();
    } catch {
      return {
        status: 400,
        body: { errors: [{ errorType: 'MalformedHttpRequestException', message: 'Invalid request body.' }] },
      };
    }
    const auth = await authenticate(
      request.headers,
      { method: request.method, path: request.path, query: request.query, body: request.body },
      this.options.auth,
      request.sourceIp,
    );
    if (!auth.ok) {
      return {
        status: 401,
        body: { errors: [{ errorType: 'UnauthorizedException', message: auth.message }] },
      };
    }
    const variables = isRecord(body.variables) ? body.variables : {};
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;

    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      return { status: 200, body: { data: null, errors: [formatError(error as GraphQLError)] } };
    }
    const invalid = validate(this.schema, document);
    if (invalid.length > 0) return { status: 200, body: { data: null, errors: invalid.map(formatError) } };
    const operation = getOperationAST(document, operationName);
    if (operation?.operation === 'subscription') {
      return {
        status: 200,
        body: {
          data: null,
          errors: [
            {
              errorType: 'UnsupportedOperation',
              message: 'Subscriptions are served over the realtime endpoint.',
            },
          ],
        },
      };
    }

    const context: ExecutionContext = { auth, headers: request.headers, variables, appended: [] };
    const result = (await execute({
      schema: this.schema,
      document,
      variableValues: variables,
      ...(operationName ? { operationName } : {}),
      contextValue: context,
      fieldResolver: this.fieldResolver,
    })) as ExecutionResult;
    const errors = [...(result.errors ?? []).map(formatError), ...context.appended];

    if (operation?.operation === 'mutation' && result.data)
      this.fanOut(operation, document, variables, result.data);
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
    const resolver = this.resolvers.get(`${typeName}.${info.fieldName}`);
    if (!resolver) return defaultFieldResolver(source, args, context, info);
    const selectionSet = info.fieldNodes[0]?.selectionSet;
    const outcome = invokeResolver(resolver, {
      args,
      identity: context.auth.identity,
      authType: context.auth.authType,
      source,
      headers: context.headers,
      variables: context.variables,
      selectionSetList: selectionSet ? selectionList(selectionSet) : [],
      selectionSetGraphQL: selectionSet ? print(selectionSet) : '',
    });
    for (const appended of outcome.scope.appendedErrors) {
      context.appended.push({
        path: pathOf(info.path),
        locations: locationsOf(info.fieldNodes),
        data: appended.data ?? null,
        errorType: appended.errorType ?? 'Code',
        errorInfo: appended.errorInfo ?? null,
        message: appended.message,
      });
    }
    if (!outcome.ok) throw fromResolverError(outcome.error);
    return outcome.value;
  };

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
    const fail = (errorType: string, message: string, extra: Partial<AppSyncError> = {}): StartResult => ({
      ok: false,
      errors: [{ errorType, message, ...extra }],
    });
    if (typeof data !== 'string') return fail('MalformedRequest', 'payload.data must be a JSON string.');
    const auth = await authenticate(
      authorization,
      { method: 'POST', path: this.graphqlPath, body: data },
      this.options.auth,
      sourceIp,
    );
    if (!auth.ok) return fail('UnauthorizedException', auth.message, { errorCode: 401 });

    let request: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      request = JSON.parse(data) as typeof request;
    } catch {
      return fail('MalformedRequest', 'payload.data is not valid JSON.');
    }
    if (!isRecord(request) || typeof request.query !== 'string') {
      return fail('MalformedRequest', 'payload.data must hold a query.');
    }
    let document: DocumentNode;
    try {
      document = parse(request.query);
    } catch (error) {
      return fail('ValidationError', (error as GraphQLError).message);
    }
    const invalid = validate(this.schema, document);
    if (invalid.length > 0) {
      return {
        ok: false,
        errors: invalid.map((e) => ({ errorType: 'ValidationError', message: e.message })),
      };
    }
    const operation = getOperationAST(
      document,
      typeof request.operationName === 'string' ? request.operationName : undefined,
    );
    if (!operation)
      return fail('ValidationError', 'The document must hold exactly one operation, or name one.');
    if (operation.operation !== 'subscription') {
      return fail(
        'UnsupportedOperation',
        `${operation.operation} not supported through the realtime channel`,
      );
    }
    const subscriptionType = this.schema.getSubscriptionType()!;
    const fieldNode = operation.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD);
    const field = fieldNode ? subscriptionType.getFields()[fieldNode.name.value] : undefined;
    if (!fieldNode || !field)
      return fail('ValidationError', 'A subscription selects one subscription field.');

    const fragments = fragmentsOf(document);
    const denied = this.deniedField(
      subscriptionType,
      fieldNode.selectionSet,
      auth.mode,
      fragments,
      field.name,
    );
    if (denied) return fail('Unauthorized', unauthorizedMessage(denied.typeName, denied.fieldName));

    const coerced = getVariableValues(
      this.schema,
      operation.variableDefinitions ?? [],
      isRecord(request.variables) ? request.variables : {},
    );
    if (coerced.errors)
      return {
        ok: false,
        errors: coerced.errors.map((e) => ({ errorType: 'ValidationError', message: e.message })),
      };
    const variables = coerced.coerced;
    const args = getArgumentValues(field, fieldNode, variables);

    let filter: SubscriptionFilter | undefined;
    const resolver = this.resolvers.get(`${subscriptionType.name}.${field.name}`);
    if (resolver) {
      const outcome = invokeResolver(resolver, {
        args,
        identity: auth.identity,
        authType: auth.authType,
        headers: Object.fromEntries(
          Object.entries(authorization).map(([k, v]) => [k.toLowerCase(), String(v)]),
        ),
        variables,
        ...(fieldNode.selectionSet
          ? {
              selectionSetList: selectionList(fieldNode.selectionSet),
              selectionSetGraphQL: print(fieldNode.selectionSet),
            }
          : {}),
      });
      if (!outcome.ok) return fail(outcome.error.errorType ?? 'Code', outcome.error.message);
      filter = outcome.scope.subscriptionFilter;
    }
    return {
      ok: true,
      subscription: {
        fieldName: field.name,
        args: Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null && v !== undefined)),
        ...(filter ? { filter } : {}),
        mode: auth.mode,
        responseKey: fieldNode.alias?.value ?? field.name,
        fieldNode,
        fragments,
        variables,
      },
    };
  }

  /** The first field in the subscription's selection the caller's mode may not read, if any. */
  private deniedField(
    parent: GraphQLObjectType,
    selectionSet: SelectionSetNode | undefined,
    mode: AuthMode,
    fragments: Record<string, FragmentDefinitionNode>,
    rootField: string,
  ): { typeName: string; fieldName: string } | undefined {
    if (!allowedModes(this.schema, parent.name, rootField, this.defaultMode).includes(mode)) {
      return { typeName: parent.name, fieldName: rootField };
    }
    const type = getNamedType(parent.getFields()[rootField]!.type);
    if (!selectionSet || !isObjectType(type)) return undefined;
    for (const node of collectFieldNodes(selectionSet, fragments, {})) {
      if (node.name.value === '__typename') continue;
      const denied = this.deniedField(type, node.selectionSet, mode, fragments, node.name.value);
      if (denied) return denied;
    }
    return undefined;
  }

  /** Keeps a prepared subscription until the returned function is called. */
  register(subscription: PreparedSubscription, deliver: Registered['deliver']): () => void {
    const entry: Registered = { subscription, deliver };
    this.registry.add(entry);
    return () => void this.registry.delete(entry);
  }

  /**
   * AppSync sends subscribers what the mutation selected: each matching
   * subscription gets the fields it selected that the mutation's result has
   * (null for the others).
   */
  private fanOut(
    operation: OperationDefinitionNode,
    document: DocumentNode,
    rawVariables: Record<string, unknown>,
    data: Record<string, unknown>,
  ): void {
    const fragments = fragmentsOf(document);
    const coerced = getVariableValues(this.schema, operation.variableDefinitions ?? [], rawVariables);
    const variables = coerced.coerced ?? {};
    for (const node of collectFieldNodes(operation.selectionSet, fragments, variables)) {
      const fields = this.subscribers.get(node.name.value);
      const value = data[node.alias?.value ?? node.name.value];
      if (!fields || value === null || value === undefined) continue;
      const event = byFieldName(node.selectionSet, value, fragments, variables);
      if (!isRecord(event)) continue;
      this.published++;
      for (const { subscription, deliver } of [...this.registry]) {
        if (!fields.has(subscription.fieldName) || !matches(subscription, event)) continue;
        const fieldType = getNamedType(
          this.schema.getSubscriptionType()!.getFields()[subscription.fieldName]!.type,
        );
        const selected = select(subscription.fieldNode.selectionSet, event, fieldType, subscription);
        this.delivered++;
        deliver({ data: { [subscription.responseKey]: selected } });
      }
    }
  }
}

/** Argument-based filtering (every given argument equals the event's field of that name) AND the enhanced filter. */
export function matches(
  subscription: Pick<PreparedSubscription, 'args' | 'filter'>,
  event: Record<string, unknown>,
) {
  for (const [name, value] of Object.entries(subscription.args)) {
    if (!sameValue(event[name], value)) return false;
  }
  return subscription.filter ? matchesFilter(subscription.filter, event) : true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pathOf(path: { prev: unknown; key: string | number } | undefined): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let p = path; p; p = p.prev as typeof path) keys.unshift(p.key);
  return keys;
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  return Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
}

function included(
  node: FieldNode | { directives?: FieldNode['directives'] },
  variables: Record<string, unknown>,
) {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, variables);
  return include?.if !== false;
}

/** The field nodes of a selection set, fragments expanded, `@skip`/`@include` applied. */
function collectFieldNodes(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  typeName?: string,
): FieldNode[] {
  return selectionSet.selections.flatMap((selection): FieldNode[] => {
    if (!included(selection, variables)) return [];
    switch (selection.kind) {
      case Kind.FIELD:
        return [selection];
      case Kind.INLINE_FRAGMENT: {
        const condition = selection.typeCondition?.name.value;
        if (condition && typeName && condition !== typeName) return [];
        return collectFieldNodes(selection.selectionSet, fragments, variables, typeName);
      }
      case Kind.FRAGMENT_SPREAD: {
        const fragment = fragments[selection.name.value];
        if (!fragment) return [];
        const condition = fragment.typeCondition.name.value;
        if (typeName && condition !== typeName) return [];
        return collectFieldNodes(fragment.selectionSet, fragments, variables, typeName);
      }
    }
  });
}

/** `selectionSetList` as AppSync gives it: `a`, `b`, `b/c`, … (response keys). */
function selectionList(selectionSet: SelectionSetNode, prefix = ''): string[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind !== Kind.FIELD) {
      return selection.kind === Kind.INLINE_FRAGMENT ? selectionList(selection.selectionSet, prefix) : [];
    }
    const key = `${prefix}${selection.alias?.value ?? selection.name.value}`;
    return [key, ...(selection.selectionSet ? selectionList(selection.selectionSet, `${key}/`) : [])];
  });
}

/** The mutation's result re-keyed by field name (aliases removed): what filters and subscribers read. */
function byFieldName(
  selectionSet: SelectionSetNode | undefined,
  value: unknown,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): unknown {
  if (Array.isArray(value)) return value.map((item) => byFieldName(selectionSet, item, fragments, variables));
  if (!selectionSet || !isRecord(value)) return value;
  const result: Record<string, unknown> = {};
  for (const node of collectFieldNodes(selectionSet, fragments, variables)) {
    if (node.name.value in result) continue;
    result[node.name.value] = byFieldName(
      node.selectionSet,
      value[node.alias?.value ?? node.name.value],
      fragments,
      variables,
    );
  }
  return result;
}

/** Applies a subscriber's selection set to the event (response keys, `__typename`; absent fields are null). */
function select(
  selectionSet: SelectionSetNode | undefined,
  value: unknown,
  type: GraphQLNamedType,
  subscription: Pick<PreparedSubscription, 'fragments' | 'variables'>,
): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map((item) => select(selectionSet, item, type, subscription));
  if (!selectionSet || !isRecord(value)) return value;
  // Abstract types: the concrete type is whatever the mutation's result said it was.
  const typeName = isObjectType(type) ? type.name : String(value.__typename ?? type.name);
  const fields = isObjectType(type) ? type.getFields() : {};
  const result: Record<string, unknown> = {};
  for (const node of collectFieldNodes(
    selectionSet,
    subscription.fragments,
    subscription.variables,
    typeName,
  )) {
    const key = node.alias?.value ?? node.name.value;
    if (node.name.value === '__typename') {
      result[key] = typeName;
      continue;
    }
    const fieldType = fields[node.name.value]?.type;
    result[key] = select(
      node.selectionSet,
      value[node.name.value],
      fieldType ? getNamedType(fieldType) : type,
      subscription,
    );
  }
  return result;
}
