import { readFileSync } from 'node:fs';
import {
  GraphQLError,
  GraphQLScalarType,
  isObjectType,
  Kind,
  type GraphQLField,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import { parseAppSyncSchema } from '../../graphql/appsync-schema.js';
import { schemaPath } from '../../graphql/bundle.js';

/** Authorization modes, as AppSync names them in its configuration. */
export type AuthMode = 'API_KEY' | 'AWS_IAM' | 'OPENID_CONNECT' | 'AMAZON_COGNITO_USER_POOLS' | 'AWS_LAMBDA';

const MODE_DIRECTIVES: Record<string, AuthMode> = {
  aws_api_key: 'API_KEY',
  aws_iam: 'AWS_IAM',
  aws_oidc: 'OPENID_CONNECT',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
  aws_lambda: 'AWS_LAMBDA',
};

function invalid(type: string, value: unknown): GraphQLError {
  return new GraphQLError(`Invalid ${type} value: ${JSON.stringify(value)}`);
}

/** A string scalar checked by a pattern on input; output passes through. */
function stringScalar(name: string, valid: (value: string) => boolean) {
  const parse = (value: unknown) => {
    if (typeof value !== 'string' || !valid(value)) throw invalid(name, value);
    return value;
  };
  return {
    serialize: (value: unknown) => value,
    parseValue: parse,
    parseLiteral: (node: ValueNode) => {
      if (node.kind !== Kind.STRING) throw invalid(name, node.kind);
      return parse(node.value);
    },
  };
}

const OFFSET = '(Z|[+-]\\d{2}:\\d{2}(:\\d{2})?)';
const DATE = '\\d{4}-\\d{2}-\\d{2}';
const TIME = '\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?';
const pattern = (source: string) => {
  const regex = new RegExp(`^${source}$`);
  return (value: string) => regex.test(value);
};

function parseJsonScalar(value: unknown): unknown {
  if (typeof value !== 'string') throw invalid('AWSJSON', value);
  try {
    return JSON.parse(value);
  } catch {
    throw invalid('AWSJSON', value);
  }
}

/**
 * AppSync's scalars. AWSJSON: input is a JSON string that resolvers receive
 * parsed; output is always a JSON string (a string the resolver returns is
 * taken as JSON text already).
 */
const SCALARS: Record<string, Pick<GraphQLScalarType, 'serialize' | 'parseValue' | 'parseLiteral'>> = {
  AWSDate: stringScalar('AWSDate', pattern(`${DATE}(${OFFSET})?`)),
  AWSTime: stringScalar('AWSTime', pattern(`${TIME}(${OFFSET})?`)),
  AWSDateTime: stringScalar('AWSDateTime', pattern(`${DATE}T${TIME}${OFFSET}`)),
  AWSEmail: stringScalar('AWSEmail', pattern('[^@\\s]+@[^@\\s]+')),
  AWSURL: stringScalar('AWSURL', (value) => URL.canParse(value)),
  AWSPhone: stringScalar('AWSPhone', pattern('\\+?[0-9 ()-]{3,}')),
  AWSIPAddress: stringScalar('AWSIPAddress', pattern('[0-9a-fA-F:.]+(/\\d{1,3})?')),
  AWSTimestamp: {
    serialize: (value: unknown) => value,
    parseValue: (value: unknown) => {
      if (!Number.isInteger(value)) throw invalid('AWSTimestamp', value);
      return value;
    },
    parseLiteral: (node: ValueNode) => {
      if (node.kind !== Kind.INT) throw invalid('AWSTimestamp', node.kind);
      return Number(node.value);
    },
  },
  AWSJSON: {
    serialize: (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value)),
    parseValue: parseJsonScalar,
    parseLiteral: (node: ValueNode) => {
      if (node.kind !== Kind.STRING) throw invalid('AWSJSON', node.kind);
      return parseJsonScalar(node.value);
    },
  },
};

/** The AppSync schema file, parsed with AppSync's implicit declarations and scalar behaviour. */
export function loadAppSyncSchema(path = schemaPath): GraphQLSchema {
  const schema = parseAppSyncSchema(readFileSync(path, 'utf8'), path);
  for (const [name, behaviour] of Object.entries(SCALARS)) {
    const type = schema.getType(name);
    if (type instanceof GraphQLScalarType) Object.assign(type, behaviour);
  }
  return schema;
}

function directiveModes(node: { directives?: readonly { name: { value: string } }[] } | null | undefined) {
  return (node?.directives ?? [])
    .map((directive) => MODE_DIRECTIVES[directive.name.value])
    .filter((mode): mode is AuthMode => mode !== undefined);
}

/**
 * The modes allowed on `type.field`, by AppSync's rule: the field's
 * directives if it has any; otherwise its type's; otherwise the API's default.
 */
export function allowedModes(
  schema: GraphQLSchema,
  typeName: string,
  fieldName: string,
  defaultMode: AuthMode,
): AuthMode[] {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) return [defaultMode];
  const field = type.getFields()[fieldName];
  const onField = directiveModes(field?.astNode);
  if (onField.length > 0) return onField;
  const onType = directiveModes(type.astNode);
  return onType.length > 0 ? onType : [defaultMode];
}

/** `@aws_subscribe(mutations: [...])` of a subscription field. */
export function subscribedMutations(field: GraphQLField<unknown, unknown>): string[] {
  const directive = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
  const argument = directive?.arguments?.find((a) => a.name.value === 'mutations');
  if (argument?.value.kind !== Kind.LIST) return [];
  return argument.value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
}
