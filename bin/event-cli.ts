import { parseArgs } from 'node:util';
import { AppSyncPublisher } from '../lambdas/adapters/appsync-publisher.js';
import { CloudFrontInvalidator } from '../lambdas/adapters/cloudfront-invalidator.js';
import { DynamoCommentStore } from '../lambdas/adapters/dynamodb/comment-store.js';
import { DynamoRoomStore } from '../lambdas/adapters/dynamodb/room-store.js';
import { NoticeLevel } from '../lambdas/domain/feed/comment.js';
import {
  banUser,
  changeSettings,
  unbanUser,
  type RoomStateDeps,
} from '../lambdas/domain/rooms/room-state.js';
import {
  deleteComment,
  ping,
  postArtistMessage,
  postNotice,
  type FeedEventDeps,
} from '../lambdas/domain/realtime/feed-events.js';
import { LocalEdgeInvalidator } from '../local/adapters/edge-invalidator.js';
import { dynamoClient, isLoopback, LOCAL_CREDENTIALS, settingsFlags } from './cli-support.js';

export const EVENT_USAGE = `Usage: npm run event -- <command> <roomId|*> [options]

Persists the event to the feed (the poll path), then pushes it over the realtime API.

Commands
  artist-message <roomId> --text <text> [--user <id>] [--name <display name>]
  notice <roomId|*> --text <text> [--level info|warning|critical]   ("*" = every room)
  delete <roomId> --comment <commentId>
  ban <roomId> --user <id> [--seconds <n>]                          (permanent without --seconds)
  unban <roomId> --user <id>
  settings <roomId> --version <n> [--slow-mode <s>] [--max-length <n>] [--poll-seconds <s>] [--ng-words <a,b,…>]
  ping <roomId>                                                    (pushed only)

Where (defaults suit npm start)
  --graphql-url <url>     realtime GraphQL URL (default $REALTIME_GRAPHQL_URL, else http://127.0.0.1:4000/graphql)
  --region <region>       (default $AWS_REGION, else us-east-1)
  --endpoint <url>        DynamoDB endpoint (default $AWS_ENDPOINT_URL_DYNAMODB, else AWS)
  --comments-table <name> (default $COMMENTS_TABLE_NAME, else local-CommentsTable)
  --control-table <name>  (default $CONTROL_TABLE_NAME, else local-ControlTable)
  --distribution-id <id>  CloudFront distribution whose cached segments a deletion invalidates (AWS)
  --edge-url <url>        the local edge to invalidate instead (default with a local --graphql-url: http://127.0.0.1:3000)`;

/** Runs the event CLI; returns what it prints. Throws an Error whose message is for the user. */
export async function runEventCli(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      text: { type: 'string' },
      level: { type: 'string', default: 'info' },
      user: { type: 'string' },
      name: { type: 'string', default: 'Artist' },
      comment: { type: 'string' },
      seconds: { type: 'string' },
      version: { type: 'string' },
      'slow-mode': { type: 'string' },
      'max-length': { type: 'string' },
      'poll-seconds': { type: 'string' },
      'ng-words': { type: 'string' },
      'graphql-url': { type: 'string' },
      region: { type: 'string' },
      endpoint: { type: 'string' },
      'comments-table': { type: 'string' },
      'control-table': { type: 'string' },
      'distribution-id': { type: 'string' },
      'edge-url': { type: 'string' },
    },
  });
  const [command, roomId] = positionals;
  if (!command || !roomId || positionals.length > 2) throw new Error(EVENT_USAGE);

  const graphqlUrl = values['graphql-url'] ?? env.REALTIME_GRAPHQL_URL ?? 'http://127.0.0.1:4000/graphql';
  const endpoint = values.endpoint ?? env.AWS_ENDPOINT_URL_DYNAMODB;
  const region = values.region ?? env.AWS_REGION ?? 'us-east-1';
  const doc = dynamoClient(endpoint, region);
  const controlTable = values['control-table'] ?? env.CONTROL_TABLE_NAME ?? 'local-ControlTable';
  const failures: string[] = [];
  const deps: FeedEventDeps & RoomStateDeps = {
    rooms: new DynamoRoomStore(doc, controlTable),
    feed: new DynamoCommentStore(
      doc,
      values['comments-table'] ?? env.COMMENTS_TABLE_NAME ?? 'local-CommentsTable',
      controlTable,
    ),
    publisher: new AppSyncPublisher({
      graphqlUrl,
      region,
      ...(isLoopback(graphqlUrl) ? { credentials: LOCAL_CREDENTIALS } : {}),
    }),
    clock: Date.now,
    retentionDays: 30,
    onPublishFailed: (_, error) => failures.push((error as Error).message),
    ...edgeInvalidator(values['distribution-id'], values['edge-url'], isLoopback(graphqlUrl)),
    onInvalidateFailed: (paths, error) =>
      failures.push(`invalidating ${paths.join(', ')}: ${(error as Error).message}`),
  };
  const need = (value: string | undefined, flag: string) => {
    if (!value) throw new Error(`${command} needs --${flag}.\n\n${EVENT_USAGE}`);
    return value;
  };
  const report = (result: unknown, pushed: boolean) =>
    JSON.stringify(result, null, 2) +
    (pushed
      ? failures.length > 0
        ? `\npushed, with problems: ${failures.join('; ')}`
        : '\npushed'
      : `\nstored, but the push failed (${failures.join('; ')}); viewers get it on their next poll`);
  try {
    switch (command) {
      case 'artist-message': {
        const r = await postArtistMessage(
          deps,
          roomId,
          { userId: values.user ?? 'artist', displayName: values.name },
          need(values.text, 'text'),
        );
        return report(r.value, r.pushed);
      }
      case 'notice': {
        const level = NoticeLevel.parse(values.level);
        const r = await postNotice(
          deps,
          roomId,
          { userId: 'operator', displayName: 'Operator' },
          level,
          need(values.text, 'text'),
        );
        return report(r.value, r.pushed);
      }
      case 'delete': {
        const r = await deleteComment(deps, roomId, need(values.comment, 'comment'));
        if (r.value === 'already-deleted') return `${values.comment} was already deleted; nothing pushed`;
        return report({ commentId: values.comment, outcome: r.value }, r.pushed);
      }
      case 'ban': {
        const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
        const r = await banUser(deps, roomId, need(values.user, 'user'), seconds);
        return report(r.value, r.pushed);
      }
      case 'unban': {
        const r = await unbanUser(deps, roomId, need(values.user, 'user'));
        if (!r.value) return `${values.user} was not banned; nothing pushed`;
        return report({ userId: values.user, unbanned: true }, r.pushed);
      }
      case 'settings': {
        const change = settingsFlags(values);
        const r = await changeSettings(deps, roomId, change, Number(need(values.version, 'version')));
        return report({ settings: r.value.settings, version: r.value.version }, r.pushed);
      }
      case 'ping':
        return `pushed ping ${await ping(deps, roomId, `cli-${Date.now()}`)}`;
      default:
        throw new Error(`Unknown command "${command}".\n\n${EVENT_USAGE}`);
    }
  } finally {
    doc.destroy();
  }
}

/** Where a deletion's cached segment is invalidated: CloudFront, the local edge, or nowhere. */
function edgeInvalidator(distributionId: string | undefined, edgeUrl: string | undefined, local: boolean) {
  if (distributionId) return { edge: new CloudFrontInvalidator(async () => distributionId) };
  if (edgeUrl ?? local) return { edge: new LocalEdgeInvalidator(edgeUrl ?? 'http://127.0.0.1:3000') };
  return {};
}
