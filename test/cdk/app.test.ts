import { describe, expect, it } from 'vitest';
import { stackName } from '../../lib/app.js';
import { STAGES } from '../../lib/stage-config.js';
import { buildTestApp, type CfnJson } from './synth.js';

describe.each(STAGES)('the app (%s)', (stage) => {
  // A full synth: CloudFormation's own rules and the cdk-nag pack run as validations and fail it.
  const { app, stacks } = buildTestApp(stage, { bundle: false });
  const assembly = app.synth();

  it('synthesizes four stacks, named after the stage', () => {
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(
      (['Api', 'Auth', 'Data', 'Realtime'] as const).map((part) => stackName(stage, part)).sort(),
    );
    expect(stacks.auth.stackName).toBe(`HybridChat-${stage}-Auth`);
  });

  it('makes the Api stack depend on Data, Realtime and Auth, and nothing depend on the Api stack', () => {
    const dependsOn = (name: string) =>
      assembly
        .getStackByName(name)
        .dependencies.map((d) => d.id)
        .filter((id) => !id.endsWith('.assets'))
        .sort();
    expect(dependsOn(stackName(stage, 'Api'))).toEqual(
      [stackName(stage, 'Auth'), stackName(stage, 'Data'), stackName(stage, 'Realtime')].sort(),
    );
    for (const part of ['Data', 'Realtime', 'Auth'] as const) {
      expect(dependsOn(stackName(stage, part)), part).toEqual([]);
    }
  });

  it('imports nothing into the stacks the Api stack builds on (references run one way)', () => {
    for (const part of ['Data', 'Realtime', 'Auth'] as const) {
      const template = assembly.getStackByName(stackName(stage, part)).template as CfnJson;
      expect(JSON.stringify(template), part).not.toContain('Fn::ImportValue');
    }
  });
});
