import { CfnRestApi } from 'aws-cdk-lib/aws-apigateway';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { STAGES } from '../../lib/stage-config.js';
import { acknowledgements, rawFindings } from './nag-findings.js';
import { buildTestApp, synthesize } from './synth.js';

// These tests ask the pack itself (validateScope) on the app as bin/app.ts builds it.
const synthesized = Object.fromEntries(STAGES.map((stage) => [stage, synthesize(stage, { bundle: false })]));

describe.each(STAGES)('cdk-nag AwsSolutions (%s)', (stage) => {
  const { app } = synthesized[stage]!;

  it('leaves no finding unacknowledged, error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges only findings that occur, on the construct where they occur', () => {
    const raw = rawFindings(app);
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      const hit = raw.some(
        (v) =>
          v.ruleName === ack.id &&
          v.violatingResources.some(
            (r) => r.constructPath === ack.path || r.constructPath?.startsWith(`${ack.path}/`),
          ),
      );
      expect(hit, `${ack.id} acknowledged at ${ack.path} but never raised there`).toBe(true);
    }
  });

  it('gives every acknowledgement a reason', () => {
    for (const ack of acknowledgements(app)) {
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(60);
    }
  });

  it('acknowledges nothing about the tables: the data stack is compliant as built, but for the archive’s access log', () => {
    const { data } = synthesized[stage]!.stacks;
    expect(acknowledgements(data).map((ack) => `${ack.id} at ${ack.path}`)).toEqual([
      `AwsSolutions-S1 at ${data.node.path}/Archive/Bucket`,
    ]);
  });

  it('acknowledges nothing about the user pool: strong passwords, required MFA and Plus are met, not excused', () => {
    const { auth } = synthesized[stage]!.stacks;
    expect(acknowledgements(auth)).toEqual([]);
    const raw = rawFindings(app).filter((v) =>
      v.violatingResources.some((r) => r.constructPath?.startsWith(`${auth.node.path}/`)),
    );
    expect(raw.map((v) => v.ruleName)).toEqual([]);
  });

  it('finds the admin methods compliant with APIG4 and COG4 (the Cognito authoriser), so acknowledges neither', () => {
    const { api } = synthesized[stage]!.stacks;
    const adminMethods = api.node
      .findAll()
      .filter(
        (c) => c.node.path.includes('/admin/') && c.node.id !== 'OPTIONS' && /^[A-Z]+$/.test(c.node.id),
      );
    expect(adminMethods.length).toBeGreaterThan(10);
    const paths = new Set(adminMethods.map((m) => m.node.path));
    expect(acknowledgements(api).filter((a) => paths.has(a.path))).toEqual([]);
    const raw = rawFindings(app).filter((v) =>
      v.violatingResources.some((r) => [...paths].some((p) => r.constructPath?.startsWith(p))),
    );
    expect(raw.map((v) => v.ruleName)).toEqual([]);
  });

  it('excuses GetMetricData’s * resource on the admin function’s metrics policy alone, with its own reason', () => {
    const metrics = acknowledgements(app).filter((a) => a.reason.includes('cloudwatch:GetMetricData'));
    expect(metrics.map((a) => `${a.id} at ${a.path}`)).toEqual([
      `AwsSolutions-IAM5[Resource::*] at ${synthesized[stage]!.stacks.api.node.path}/Admin/MetricsPolicy`,
    ]);
  });

  it('excuses the schedule wildcard on the admin function’s scheduling policy alone, for its own group', () => {
    const { api } = synthesized[stage]!.stacks;
    const scheduling = acknowledgements(app).filter((a) => a.id.includes(':scheduler:'));
    expect(scheduling.map((a) => `${a.id} at ${a.path}`)).toEqual([
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/hybrid-chat-${stage}/*] at ${api.node.path}/Admin/CapacitySchedulingPolicy`,
    ]);
  });

  it('acknowledges nothing about the scaler’s own grants or the scheduler role beyond the runtime', () => {
    const { api } = synthesized[stage]!.stacks;
    const capacity = acknowledgements(app).filter((a) => a.path.startsWith(`${api.node.path}/Capacity/`));
    expect(capacity.map((a) => `${a.id} at ${a.path.slice(api.node.path.length)}`).sort()).toEqual([
      'AwsSolutions-L1 at /Capacity/Scaler/Function',
    ]);
  });

  it('excuses no * resource on any function role: with tracing off, nothing needs one', () => {
    const { api } = synthesized[stage]!.stacks;
    const roleWildcards = acknowledgements(api).filter(
      (a) => a.id === 'AwsSolutions-IAM5[Resource::*]' && a.path.endsWith('/Role'),
    );
    expect(roleWildcards).toEqual([]);
  });
});

describe('the pack runs at synth', () => {
  it('fails synthesis on a finding nobody acknowledged', () => {
    const { app, stacks } = buildTestApp('dev', { bundle: false });
    new CfnRestApi(stacks.api, 'Unreviewed', { name: 'unreviewed' });
    expect(() => app.synth()).toThrow(/AwsSolutions-APIG2/);
  });
});
