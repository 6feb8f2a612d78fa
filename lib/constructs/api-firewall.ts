import { Fn, Stack } from 'aws-cdk-lib';
import { Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface ApiFirewallProps {
  /** The API Gateway stage (or other regional resource) to protect. */
  readonly resourceArn: string;
  /** Requests one client IP may send per 5 minutes before it is blocked (AWS WAF minimum: 10). */
  readonly rateLimitPer5MinPerIp: number;
  /** Prefix of the CloudWatch metric names. */
  readonly metricPrefix: string;
}

/**
 * A regional AWS WAF web ACL in front of an API: a rate-based rule per client IP, then the AWS managed
 * common rule set and known bad inputs. Allows everything else.
 */
export class ApiFirewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const visibility = (name: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.metricPrefix}${name}`,
    });
    const managed = (name: string, priority: number, countOnly: string[] = []): CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ...(countOnly.length > 0
            ? { ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) }
            : {}),
        },
      },
      visibilityConfig: visibility(name),
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('WebAcl'),
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.rateLimitPer5MinPerIp,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        // The common rule set blocks bodies over 8 KB; the API's own limit is 64 KB (413 problem+json from
        // the handler runtime), so that one rule only counts.
        managed('AWSManagedRulesCommonRuleSet', 1, ['SizeRestrictions_BODY']),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 2),
      ],
    });
    new CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.resourceArn,
      webAclArn: this.webAcl.attrArn,
    });
  }

  /** The generated name of the web ACL (its `Ref` is `name|id|scope`). */
  get webAclName(): string {
    return Fn.select(0, Fn.split('|', this.webAcl.ref));
  }

  /** Requests the web ACL blocked (every rule: `Rule=ALL`), a 5-minute sum by default. */
  metricBlockedRequests(props: MetricOptions = {}): Metric {
    return new Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      dimensionsMap: { WebACL: this.webAclName, Region: Stack.of(this).region, Rule: 'ALL' },
      statistic: 'Sum',
      ...props,
    });
  }
}
