import { Duration, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { WAF_RULE_COUNT } from '../../lambdas/domain/cost/coefficients.js';

/**
 * The header the post behaviour's CloudFront Function sets from `event.viewer.ip` (ChatCdn), which
 * the rate rule reads the viewer's address from (ADR 0031). Not X-Forwarded-For: CloudFront appends
 * the viewer's address to the one a client sent, and WAF reads the first address, the client's own.
 */
export const VIEWER_ADDRESS_HEADER = 'x-viewer-address';

/**
 * Posts one address may make in a minute before the rate rule answers 429 (ADR 0031). The product
 * bounds no one by default (slow mode is off unless a room sets it; lambdas/domain/rooms/room.ts),
 * so the figure is a person's fastest sustained typing — one comment every 3 s (20 a minute, each
 * at most `maxCommentLength` code points) — times 15 viewers behind one address (a household, an
 * office or venue Wi-Fi, a mobile carrier's NAT). A retry with the same clientMessageId counts too.
 */
export const POSTS_PER_ADDRESS_PER_MINUTE = 20 * 15;

/**
 * The common rule set's rules that read the body, counted instead of blocking (ADR 0031). A post's
 * body is a viewer's free text: a chat about code or a joke (`<script>`, `../`, a URL) would be
 * refused by WAF with a bare 403 the player cannot explain; the functions validate the JSON and its
 * size (413 over 8 KiB; the admin NG-word list may be larger than the rule's 8 KB) and never treat
 * text as HTML, a path or a URL. Counted, they still show on the dashboard.
 */
export const COUNTED_COMMON_RULES = [
  'SizeRestrictions_BODY',
  'CrossSiteScripting_BODY',
  'GenericLFI_BODY',
  'GenericRFI_BODY',
  'EC2MetaDataSSRF_BODY',
] as const;

/** The CloudWatch metric name of the web ACL and of each rule (dimension `Rule`; the ACL's is `ALL`). */
export const FIREWALL_METRICS = {
  postsPerAddress: 'PostsPerViewerAddress',
  knownBadInputs: 'KnownBadInputs',
  commonRules: 'CommonRules',
} as const;

export interface ApiFirewallProps {
  /** `hybrid-chat-<stage>-api`: WAF names are per region and scope, and the metrics' `WebACL` dimension. */
  readonly name: string;
  /** The API stage's ARN (`RestApi.deploymentStage.stageArn`). */
  readonly stageArn: string;
}

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

const managed = (name: string, priority: number, metricName: string, counted: readonly string[] = []) => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: {
    managedRuleGroupStatement: {
      vendorName: 'AWS',
      name,
      ...(counted.length
        ? { ruleActionOverrides: counted.map((rule) => ({ name: rule, actionToUse: { count: {} } })) }
        : {}),
    },
  },
  visibilityConfig: visibility(metricName),
});

/**
 * AWS WAF on the regional API stage (ARCHITECTURE §11, ADR 0031), not on the distribution: it
 * inspects only what reaches the origin — posts, admin calls and cache misses — never the polls the
 * cache answers, which are nearly all requests. A rate rule per viewer address on posts, and AWS's
 * known-bad-inputs and common rule groups. Metrics on for the ACL and each rule (`blockedRequests`).
 */
export class ApiFirewall extends Construct {
  readonly webAcl: CfnWebACL;
  readonly name: string;
  readonly metricNames = { webAcl: 'ALL', ...FIREWALL_METRICS } as const;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    this.name = props.name;
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: props.name,
      scope: 'REGIONAL',
      description: 'Hybrid live chat API stage: posts per viewer address, known bad inputs, common rules',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      customResponseBodies: {
        rateLimited: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            code: 'rate_limited',
            message: 'Too many posts from your network; wait a minute and try again.',
            retryable: true,
            retryAfterSec: 60,
          }),
        },
      },
      rules: [
        {
          name: FIREWALL_METRICS.postsPerAddress,
          priority: 0,
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'rateLimited' } } },
          statement: {
            rateBasedStatement: {
              limit: POSTS_PER_ADDRESS_PER_MINUTE,
              evaluationWindowSec: 60,
              aggregateKeyType: 'FORWARDED_IP',
              // A post without the header did not come through the post behaviour; the origin lock refuses it anyway.
              forwardedIpConfig: { headerName: VIEWER_ADDRESS_HEADER, fallbackBehavior: 'MATCH' },
              scopeDownStatement: {
                andStatement: {
                  statements: [
                    {
                      byteMatchStatement: {
                        fieldToMatch: { method: {} },
                        positionalConstraint: 'EXACTLY',
                        searchString: 'POST',
                        textTransformations: [{ priority: 0, type: 'NONE' }],
                      },
                    },
                    {
                      // `/{stage}/v1/rooms/{roomId}/comments`: the only POST whose path ends so.
                      byteMatchStatement: {
                        fieldToMatch: { uriPath: {} },
                        positionalConstraint: 'ENDS_WITH',
                        searchString: '/comments',
                        textTransformations: [{ priority: 0, type: 'NONE' }],
                      },
                    },
                  ],
                },
              },
            },
          },
          visibilityConfig: visibility(FIREWALL_METRICS.postsPerAddress),
        },
        managed('AWSManagedRulesKnownBadInputsRuleSet', 1, FIREWALL_METRICS.knownBadInputs),
        managed('AWSManagedRulesCommonRuleSet', 2, FIREWALL_METRICS.commonRules, COUNTED_COMMON_RULES),
      ],
    });
    if (this.webAcl.rules instanceof Array && this.webAcl.rules.length !== WAF_RULE_COUNT) {
      throw new Error(`ApiFirewall: the cost model bills ${WAF_RULE_COUNT} rules; update WAF_RULE_COUNT.`);
    }
    new CfnWebACLAssociation(this, 'StageAssociation', {
      resourceArn: props.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }

  /** Requests a rule blocked (`rule` a `metricNames` value; `ALL` for the whole ACL), per minute. */
  blockedRequests(rule: string = this.metricNames.webAcl): Metric {
    return new Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      dimensionsMap: { WebACL: this.name, Region: Stack.of(this).region, Rule: rule },
      statistic: 'Sum',
      period: Duration.minutes(1),
    });
  }
}
