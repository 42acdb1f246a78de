import { readFileSync } from 'node:fs';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { buildApp, type ChatStacks } from '../../lib/app.js';
import { fromProjectRoot } from '../../lib/paths.js';
import { resolveStageConfig, type Stage, type StageContext } from '../../lib/stage-config.js';

/** The viewer-token context a prod deploy must be given. */
export const PROD_CONTEXT = {
  viewerTokenJwksUrl: 'https://host.example.net/.well-known/jwks.json',
  viewerTokenIssuer: 'https://host.example.net/',
  viewerTokenAudience: 'chat-prod',
} as const;

export interface Synthesized {
  readonly app: App;
  readonly stacks: ChatStacks;
  readonly data: Template;
  readonly api: Template;
  readonly realtime: Template;
  readonly auth: Template;
}

export interface TestAppOptions {
  /** `false` skips esbuild (CDK's own `aws:cdk:bundling-stacks` switch) for tests that look at resources, not code. */
  readonly bundle: boolean;
  /**
   * The web player build to deploy (`BuildOptions.playerDirectory`).
   * @default FAKE_PLAYER_BUILD, so CDK tests need no web build
   */
  readonly playerDirectory?: string;
  /** @default FAKE_CONSOLE_BUILD */
  readonly consoleDirectory?: string;
  /** More context, as `-c key=value` gives it (e.g. `{ waf: 'false' }`). */
  readonly context?: Omit<StageContext, 'stage'>;
}

/** What `npm run build:web` writes to `.build/web/player`, in miniature: entries and one hashed file. */
export const FAKE_PLAYER_BUILD = fromProjectRoot('test/cdk/fixtures/player');
/** The same for the admin console. */
export const FAKE_CONSOLE_BUILD = fromProjectRoot('test/cdk/fixtures/console');

/**
 * Builds the app exactly as `bin/app.ts` does (same `buildApp`, same
 * `cdk.json` feature flags, cdk-nag registered) and synthesizes it once.
 */
export function synthesize(stage: Stage, options: TestAppOptions): Synthesized {
  const { app, stacks } = buildTestApp(stage, options);
  return {
    app,
    stacks,
    data: Template.fromStack(stacks.data),
    api: Template.fromStack(stacks.api),
    realtime: Template.fromStack(stacks.realtime),
    auth: Template.fromStack(stacks.auth),
  };
}

/** The same app, built but not yet synthesized. */
export function buildTestApp(stage: Stage, options: TestAppOptions): { app: App; stacks: ChatStacks } {
  const cdkJson = JSON.parse(readFileSync(fromProjectRoot('cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const app = new App({
    context: { ...cdkJson.context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
  const stacks = buildApp(
    app,
    resolveStageConfig({
      stage,
      ...(stage === 'prod' ? PROD_CONTEXT : {}),
      ...options.context,
    }),
    {
      playerDirectory: options.playerDirectory ?? FAKE_PLAYER_BUILD,
      consoleDirectory: options.consoleDirectory ?? FAKE_CONSOLE_BUILD,
    },
  );
  return { app, stacks };
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(element).getLogicalId(element);
}

/** Template JSON, read loosely: the assertions themselves check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CfnJson = any;

export type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown }
>;

export function resources(template: Template): Resources {
  return (template.toJSON() as { Resources: Resources }).Resources;
}

export function resourcesOfType(template: Template, type: string): [string, Resources[string]][] {
  return Object.entries(resources(template)).filter(([, r]) => r.Type === type);
}
