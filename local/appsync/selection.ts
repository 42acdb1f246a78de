import {
  getNamedType,
  isObjectType,
  Kind,
  print,
  type FieldNode,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
// graphql-js's own field collection (fragments, `@skip`/`@include`, type conditions), as `execute` runs it.
// Internal to graphql 16 but stable across it; package.json pins the version.
import { collectSubfields } from 'graphql/execution/collectFields.js';

/** A field's selection and what collecting it needs: graphql-js's resolve info carries all of it. */
export type Selection = Pick<
  GraphQLResolveInfo,
  'schema' | 'fragments' | 'variableValues' | 'returnType' | 'fieldNodes'
>;

/**
 * The value of a mutation's field re-keyed by field name (aliases removed): the
 * event that subscription filters and subscribers read.
 */
export const eventOf = (selection: Selection, value: unknown): unknown =>
  walk(selection, selection.returnType, selection.fieldNodes, value, true);

/**
 * An event projected onto a subscriber's selection, as AppSync sends it: the
 * subscriber's response keys and `__typename`; fields the event lacks (the
 * mutation did not select them) are null, whatever the schema's nullability.
 */
export const projected = (selection: Selection, event: unknown): unknown =>
  walk(selection, selection.returnType, selection.fieldNodes, event, false);

function walk(
  selection: Selection,
  type: GraphQLOutputType,
  fieldNodes: readonly FieldNode[],
  value: unknown,
  byName: boolean,
): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => walk(selection, type, fieldNodes, item, byName));
  const named = getNamedType(type);
  if (typeof value !== 'object' || !fieldNodes.some((node) => node.selectionSet)) return value;
  const record = value as Record<string, unknown>;
  // Abstract types: the concrete type is the one the mutation's result named; without `__typename` it is unknown.
  const runtimeType = isObjectType(named) ? named : selection.schema.getType(String(record.__typename));
  if (!isObjectType(runtimeType)) return value;
  const fields = runtimeType.getFields();
  const result: Record<string, unknown> = {};
  const collected = collectSubfields(
    selection.schema,
    selection.fragments,
    selection.variableValues,
    runtimeType,
    fieldNodes,
  );
  for (const [responseKey, nodes] of collected) {
    const name = nodes[0]!.name.value;
    if (byName && name in result) continue;
    const inner =
      name === '__typename'
        ? runtimeType.name
        : walk(selection, fields[name]!.type, nodes, record[byName ? responseKey : name], byName);
    result[byName ? name : responseKey] = inner;
  }
  return result;
}

/** A field's `selectionSetList` and `selectionSetGraphQL`, once per field node (documents are cached). */
const resolverViews = new WeakMap<FieldNode, { list: string[]; graphql: string }>();

/** What AppSync gives a resolver as `info.selectionSetList` and `info.selectionSetGraphQL`. */
export function resolverView(fieldNode: FieldNode | undefined): { list: string[]; graphql: string } {
  if (!fieldNode?.selectionSet) return { list: [], graphql: '' };
  let view = resolverViews.get(fieldNode);
  if (!view) {
    view = { list: selectionList(fieldNode.selectionSet), graphql: print(fieldNode.selectionSet) };
    resolverViews.set(fieldNode, view);
  }
  return view;
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
