import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

// cdk-nag 3 is a CDK validation plugin (Validations.of(app).addPlugins), not an Aspect: its findings are
// not annotations, so Annotations.fromStack(...).findError would find nothing whatever nag reports.
// The tests ask the pack itself (validateScope).

export interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every acknowledgement under `root`, on the construct that made it. */
export function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** The pack with acknowledgements ignored: every finding it would raise. */
export function rawFindings(root: IConstruct) {
  const pack = new AwsSolutionsChecks();
  (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  return pack.validateScope(root).violations;
}

/** The findings nobody acknowledged, as `<severity> <rule> at <paths>`. */
export function unacknowledgedFindings(root: IConstruct): string[] {
  return new AwsSolutionsChecks()
    .validateScope(root)
    .violations.map(
      (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
}

/** The acknowledgements under `root` that match no finding the pack raises on or below their construct. */
export function staleAcknowledgements(root: IConstruct, scope: IConstruct = root): string[] {
  const raw = rawFindings(root);
  return acknowledgements(scope)
    .filter(
      (ack) =>
        !raw.some(
          (v) =>
            v.ruleName === ack.id &&
            v.violatingResources.some(
              (r) => r.constructPath === ack.path || r.constructPath?.startsWith(`${ack.path}/`),
            ),
        ),
    )
    .map((ack) => `${ack.id} at ${ack.path}`);
}
