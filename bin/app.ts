#!/usr/bin/env node
/**
 * The CDK app. The only place that reads context:
 *   -c stage=dev|prod (default dev)
 *   -c viewerTokenJwksUrl=… -c viewerTokenIssuer=… -c viewerTokenAudience=… (required for prod;
 *      dev falls back to placeholders under auth.example.com)
 *   -c capacityLeadMinutes=30 -c capacityTailMinutes=15 (whole minutes, 0–1440: when the scaler
 *      applies an event's capacity before it starts, and returns to the baseline after it ends)
 *   -c alarmEmail=ops@example.com (optional: subscribed to the alarm topic)
 *   -c waf=false (AWS WAF on the API stage is on by default; ADR 0031)
 *   -c liveCommentLimit=900 (most comments one `live` document carries, 1–1000; default 500; the
 *      capacity plan's `live_document_truncated` warning says when to raise it, ADR 0035)
 * The account and region come from the CLI's credentials when it has them.
 * The web player and the admin console are deployed from the web build's output
 * (`PLAYER_BUILD_DIRECTORY`, `CONSOLE_BUILD_DIRECTORY`): run the web build before synth, or synth
 * stops and says so.
 */
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/app.js';
import { CONSOLE_BUILD_DIRECTORY, PLAYER_BUILD_DIRECTORY } from '../lib/paths.js';
import { resolveStageConfig, type StageConfig } from '../lib/stage-config.js';

const app = new App();

let config: StageConfig;
try {
  config = resolveStageConfig({
    stage: app.node.tryGetContext('stage'),
    viewerTokenJwksUrl: app.node.tryGetContext('viewerTokenJwksUrl'),
    viewerTokenIssuer: app.node.tryGetContext('viewerTokenIssuer'),
    viewerTokenAudience: app.node.tryGetContext('viewerTokenAudience'),
    capacityLeadMinutes: app.node.tryGetContext('capacityLeadMinutes'),
    capacityTailMinutes: app.node.tryGetContext('capacityTailMinutes'),
    alarmEmail: app.node.tryGetContext('alarmEmail'),
    waf: app.node.tryGetContext('waf'),
    liveCommentLimit: app.node.tryGetContext('liveCommentLimit'),
  });
} catch (error) {
  console.error(`Cannot build the app: ${(error as Error).message}`);
  process.exit(1);
}

const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
try {
  buildApp(app, config, {
    ...(account || region ? { env: { account, region } } : {}),
    playerDirectory: PLAYER_BUILD_DIRECTORY,
    consoleDirectory: CONSOLE_BUILD_DIRECTORY,
  });
} catch (error) {
  // A construct's own check (such as a missing web build): its message says what to do.
  console.error(`Cannot build the app: ${(error as Error).message}`);
  process.exit(1);
}
