import { type App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack } from './api-stack.js';
import { AuthStack } from './auth-stack.js';
import { DataStack } from './data-stack.js';
import { RealtimeStack } from './realtime-stack.js';
import type { Stage, StageConfig } from './stage-config.js';

export interface BuildOptions {
  /**
   * Account and region to deploy to.
   * @default - environment-agnostic stacks
   */
  readonly env?: Environment;
  /**
   * The web player's build output, `PLAYER_BUILD_DIRECTORY` in `bin/app.ts`: deployed behind
   * the distribution at `/player/` (`ApiStackProps.playerDirectory`, ADR 0025).
   * @default the player is not deployed
   */
  readonly playerDirectory?: string;
  /**
   * The admin console's build output, `CONSOLE_BUILD_DIRECTORY`: deployed at `/console/`
   * (`ApiStackProps.consoleDirectory`), signing in with the Auth stack's console app client.
   * @default the console is not deployed
   */
  readonly consoleDirectory?: string;
}

export interface ChatStacks {
  readonly data: DataStack;
  readonly api: ApiStack;
  readonly realtime: RealtimeStack;
  readonly auth: AuthStack;
}

export type StackPart = 'Data' | 'Api' | 'Realtime' | 'Auth';

/** `HybridChat-<stage>-Data`, `-Api`, `-Realtime`, `-Auth`. */
export function stackName(stage: Stage, part: StackPart): string {
  return `HybridChat-${stage}-${part}`;
}

/**
 * The whole app for one stage: the stateful stacks (tables; the admin user
 * pool), the realtime (AppSync) stack, the API stack that uses all three, and
 * cdk-nag's AwsSolutions pack as a synth-time validation (each acknowledged
 * finding is acknowledged, with its reason, by the construct that made the
 * choice). References run one way — Data, Realtime, Auth → Api — so each of the
 * three deploys before the Api stack and none refers back to it (the Api stack
 * tells its own functions about CloudFront through an SSM parameter, ADR 0011).
 * `bin/app.ts` and the CDK tests both build the app here.
 */
export function buildApp(app: App, config: StageConfig, options: BuildOptions = {}): ChatStacks {
  const data = new DataStack(app, stackName(config.stage, 'Data'), {
    stage: config.stage,
    env: options.env,
    description: `Hybrid live chat (${config.stage}): comment feed and control tables`,
  });
  const realtime = new RealtimeStack(app, stackName(config.stage, 'Realtime'), {
    stage: config.stage,
    env: options.env,
    description: `Hybrid live chat (${config.stage}): AppSync GraphQL API for realtime room events`,
  });
  const auth = new AuthStack(app, stackName(config.stage, 'Auth'), {
    stage: config.stage,
    env: options.env,
    description: `Hybrid live chat (${config.stage}): admin user pool (operators, moderators, artists)`,
  });
  const api = new ApiStack(app, stackName(config.stage, 'Api'), {
    stage: config.stage,
    env: options.env,
    description: `Hybrid live chat (${config.stage}): functions, REST and admin API, CloudFront`,
    comments: data.comments,
    control: data.control,
    archive: data.archive,
    viewerToken: config.viewerToken,
    adminUserPool: auth.userPool,
    realtime: realtime.endpoints,
    capacity: config.capacity,
    waf: config.waf,
    ...(config.liveCommentLimit !== undefined ? { liveCommentLimit: config.liveCommentLimit } : {}),
    playerDirectory: options.playerDirectory,
    consoleDirectory: options.consoleDirectory,
    adminConsoleClient: auth.adminUsers.consoleClient,
    ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  return { data, api, realtime, auth };
}
