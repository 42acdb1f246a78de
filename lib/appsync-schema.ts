import path from 'node:path';
import {
  getNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  isObjectType,
  Kind,
  type ValueNode,
} from 'graphql';
import type { ResolverFile } from '../graphql/bundle.js';
import { projectRoot } from './paths.js';

/**
 * The synth-time check (STYLE "Resolvers"): every resolver file names a field that exists, every
 * field of the root Query, Mutation and Subscription types has a resolver file, and every
 * `@aws_subscribe(mutations: …)` names a mutation that exists. Collects every problem, then throws
 * one Error listing them with what to do, so `npm run synth` fails instead of a deploy.
 */
export function checkResolversAgainstSchema(
  schema: GraphQLSchema,
  files: readonly ResolverFile[],
  schemaSource = 'the schema',
): void {
  const problems: string[] = [];
  const fileName = (file: ResolverFile) => {
    const relative = path.relative(projectRoot, file.source);
    return relative.startsWith('..') ? file.source : relative;
  };

  for (const file of files) {
    const type = schema.getType(file.typeName);
    if (!type) {
      problems.push(
        `${fileName(file)}: ${schemaSource} has no type ${file.typeName}. ` +
          `Name resolver files <Type>.<field>.ts after a type of the schema (object types: ${objectTypeNames(schema).join(', ')}).`,
      );
      continue;
    }
    if (!isObjectType(type)) {
      problems.push(
        `${fileName(file)}: ${file.typeName} is not an object type, so its fields take no resolvers. ` +
          'Rename the file after an object type, or delete it.',
      );
      continue;
    }
    if (!type.getFields()[file.fieldName]) {
      problems.push(
        `${fileName(file)}: ${file.typeName} has no field ${file.fieldName} in ${schemaSource}. ` +
          `Rename the file to ${file.typeName}.<field>.ts for one of ${Object.keys(type.getFields()).join(', ')}, ` +
          'or add the field to the schema.',
      );
    }
  }

  const covered = new Set(files.map((file) => `${file.typeName}.${file.fieldName}`));
  // Query too: a root field without a resolver has no parent to read from, so AppSync answers null.
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of Object.keys(root?.getFields() ?? {})) {
      if (!covered.has(`${root!.name}.${field}`)) {
        problems.push(
          `${root!.name}.${field} has no resolver: add ${root!.name}.${field}.ts to graphql/resolvers/ ` +
            '(every query, mutation and subscription field is resolved by its own APPSYNC_JS file).',
        );
      }
    }
  }

  problems.push(...subscribedMutationProblems(schema, schemaSource));

  if (problems.length > 0) {
    throw new Error(
      `The resolvers do not match ${schemaSource}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** `@aws_subscribe(mutations: [...])` must name mutations of the schema that return the subscription's type. */
function subscribedMutationProblems(schema: GraphQLSchema, schemaSource: string): string[] {
  const subscription = schema.getSubscriptionType();
  const mutation = schema.getMutationType();
  if (!subscription) return [];
  const problems: string[] = [];
  for (const field of Object.values(subscription.getFields())) {
    const directive = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
    const argument = directive?.arguments?.find((a) => a.name.value === 'mutations');
    for (const name of argument ? stringValues(argument.value) : []) {
      const target = mutation?.getFields()[name];
      if (!target) {
        problems.push(
          `${subscription.name}.${field.name} subscribes to mutation ${name}, which ${schemaSource} does not have. ` +
            'Fix the name in @aws_subscribe(mutations: [...]).',
        );
      } else if (getNamedType(target.type) !== getNamedType(field.type)) {
        problems.push(
          `${subscription.name}.${field.name} returns ${getNamedType(field.type).name} but subscribes to ` +
            `${name}, which returns ${getNamedType(target.type).name}; AppSync requires the same type.`,
        );
      }
    }
  }
  return problems;
}

function stringValues(value: ValueNode): string[] {
  if (value.kind === Kind.STRING) return [value.value];
  if (value.kind === Kind.LIST) return value.values.flatMap(stringValues);
  return [];
}

function objectTypeNames(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'))
    .map((t) => t.name);
}
