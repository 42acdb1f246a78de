import { type App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack } from './api-stack.js';
import { DataStack } from './data-stack.js';
import { RealtimeStack } from './realtime-stack.js';
import type { Stage, StageConfig } from './stage-config.js';

export interface BuildOptions {
  /**
   * Account and region to deploy to.
   * @default - environment-agnostic stacks
   */
  readonly env?: Environment;
}

export interface ChatStacks {
  readonly data: DataStack;
  readonly api: ApiStack;
  readonly realtime: RealtimeStack;
}

/** `HybridChat-<stage>-Data`, `HybridChat-<stage>-Api`, `HybridChat-<stage>-Realtime`. */
export function stackName(stage: Stage, part: 'Data' | 'Api' | 'Realtime'): string {
  return `HybridChat-${stage}-${part}`;
}

/**
 * The whole app for one stage: the stateful stack, the API stack that uses its
 * tables, the realtime (AppSync) stack, and cdk-nag's AwsSolutions pack as a synth-time validation (each
 * acknowledged finding is acknowledged, with its reason, by the construct that
 * made the choice). `bin/app.ts` and the CDK tests both build the app here.
 */
export function buildApp(app: App, config: StageConfig, options: BuildOptions = {}): ChatStacks {
  const data = new DataStack(app, stackName(config.stage, 'Data'), {
    stage: config.stage,
    env: options.env,
    description: `Hybrid live chat (${config.stage}): comment feed and control tables`,
  });
  const api = new ApiStack(app, stackName(config.stage, 'Api'), {
    stage: config.stage,
    env: options.env,
    description: `Hybrid live chat (${config.stage}): functions, REST API, CloudFront`,
    comments: data.comments,
    control: data.control,
    viewerToken: config.viewerToken,
  });
  const realtime = new RealtimeStack(app, stackName(config.stage, 'Realtime'), {
    stage: config.stage,
    env: options.env,
    description: `Hybrid live chat (${config.stage}): AppSync GraphQL API for realtime room events`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  return { data, api, realtime };
}
