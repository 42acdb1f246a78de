import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { GatewayRequest } from '../api-gateway.js';
import type { EdgeResponse } from '../edge-cache.js';
import { CognitoError } from './errors.js';
import type { LocalUserPool } from './user-pool.js';

/** Where the edge serves the user pool: the console's `userPoolEndpoint`, same origin as the console. */
export const LOCAL_COGNITO_PATH = '/local/cognito/';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

// Clients send more than these (ClientMetadata, UserContextData, …): unknown members pass, as in Cognito.
const Strings = z.record(z.string(), z.string());
const ACTIONS = {
  InitiateAuth: action(
    z.object({ AuthFlow: z.string(), ClientId: z.string(), AuthParameters: Strings.default({}) }),
    (pool, input) => pool.initiateAuth(input),
  ),
  RespondToAuthChallenge: action(
    z.object({
      ChallengeName: z.string(),
      ClientId: z.string(),
      ChallengeResponses: Strings.default({}),
      Session: z.string().optional(),
    }),
    (pool, input) => pool.respondToAuthChallenge(input),
  ),
  AssociateSoftwareToken: action(
    z.object({ Session: z.string().optional(), AccessToken: z.string().optional() }),
    (pool, input) => pool.associateSoftwareToken(input),
  ),
  VerifySoftwareToken: action(
    z.object({
      Session: z.string().optional(),
      UserCode: z.string(),
      FriendlyDeviceName: z.string().optional(),
    }),
    (pool, input) => pool.verifySoftwareToken(input),
  ),
  GetTokensFromRefreshToken: action(
    z.object({ ClientId: z.string(), RefreshToken: z.string() }),
    (pool, input) => pool.getTokensFromRefreshToken(input),
  ),
  RevokeToken: action(z.object({ ClientId: z.string(), Token: z.string() }), (pool, input) =>
    pool.revokeToken(input),
  ),
  GlobalSignOut: action(z.object({ AccessToken: z.string() }), (pool, input) => pool.globalSignOut(input)),
} as const;

/** The actions implemented, for the ADR and the tests. */
export const COGNITO_ACTIONS = Object.keys(ACTIONS) as (keyof typeof ACTIONS)[];

function action<S extends z.ZodType>(schema: S, run: (pool: LocalUserPool, input: z.output<S>) => unknown) {
  return async (pool: LocalUserPool, body: unknown): Promise<unknown> => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
      throw new CognitoError(
        'InvalidParameterException',
        `${issues.length} validation error${issues.length === 1 ? '' : 's'} detected: ${issues.join('; ')}`,
      );
    }
    return run(pool, parsed.data);
  };
}

/**
 * Cognito's JSON protocol (`POST /`, `X-Amz-Target: AWSCognitoIdentityProviderService.<Action>`,
 * `application/x-amz-json-1.1`), for the actions Amplify's sign-in, refresh and sign-out call.
 * Errors are Cognito's: HTTP 400, `{"__type","message"}` and the `x-amzn-errortype` header.
 */
export async function handleCognitoRequest(
  pool: LocalUserPool,
  request: GatewayRequest,
): Promise<EdgeResponse> {
  try {
    if (request.method !== 'POST') {
      throw new CognitoError('UnknownOperationException', 'The user pool answers POST requests only.');
    }
    const target = request.headers['x-amz-target'] ?? '';
    const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    if (!Object.hasOwn(ACTIONS, action)) {
      throw new CognitoError(
        'UnknownOperationException',
        action ? `The local user pool does not implement ${action}.` : 'Missing X-Amz-Target.',
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body || '{}');
    } catch {
      throw new CognitoError('SerializationException', 'The request body is not JSON.');
    }
    return respond(200, await ACTIONS[action as keyof typeof ACTIONS](pool, body));
  } catch (error) {
    if (error instanceof CognitoError) {
      return respond(error.type === 'InternalErrorException' ? 500 : 400, {
        __type: error.type,
        message: error.message,
      });
    }
    console.error('[local] user pool request failed:', error);
    return respond(500, {
      __type: 'InternalErrorException',
      message: 'Internal error in the local user pool.',
    });
  }
}

function respond(status: number, body: unknown): EdgeResponse {
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPE,
    'cache-control': 'no-store',
    'x-amzn-requestid': randomUUID(),
  };
  if (status >= 400) headers['x-amzn-errortype'] = (body as { __type: string }).__type;
  return { status, headers, body: JSON.stringify(body) };
}
