import { Construct } from 'constructs';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { ALB } from './defaults';

export interface PublicLoadBalancerProps {
  /** Load balancer name (at most 32 characters), `dev-platform`. */
  readonly name: string;
  /** Public subnets, one per zone (at least two). */
  readonly subnetIds: readonly string[];
  /** Security groups (the network layer's `alb` group: 80/443 in, service ports out). */
  readonly securityGroupIds: readonly string[];
  /** ACM certificate of the HTTPS listener. */
  readonly certificateArn: string;
  /** Bucket of the access logs (the archive's SSE-S3 ALB bucket). */
  readonly accessLogsBucket: string;
  /** Key prefix of the access logs, `alb/dev`. */
  readonly accessLogsPrefix: string;
  /** Refuse deletion through the API. */
  readonly deletionProtection: boolean;
  /** Idle connection timeout. @default ALB.idleTimeoutSeconds */
  readonly idleTimeoutSeconds?: number;
  /** TLS policy of the HTTPS listener. @default ALB.sslPolicy (TLS 1.3 + 1.2) */
  readonly sslPolicy?: string;
}

/**
 * An internet-facing ALB: HTTPS with a modern TLS policy and a 404 default, HTTP redirected to
 * HTTPS, invalid header fields dropped, access logs to the archive. Services add listener rules.
 */
export class PublicLoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly httpsListener: LbListener;
  readonly httpListener: LbListener;
  /** Ports the listeners accept from the internet. */
  readonly listenerPorts: readonly number[] = [ALB.httpPort, ALB.httpsPort];

  constructor(scope: Construct, id: string, props: PublicLoadBalancerProps) {
    super(scope, id);
    if (props.name.length > 32 || !/^[A-Za-z0-9-]+$/.test(props.name)) {
      throw new Error(`PublicLoadBalancer name must be at most 32 letters, digits and dashes (got "${props.name}")`);
    }
    if (props.subnetIds.length < 2) {
      throw new Error(`PublicLoadBalancer subnetIds must hold at least two public subnets in different zones (got ${props.subnetIds.length})`);
    }
    if (props.sslPolicy !== undefined && !props.sslPolicy.startsWith('ELBSecurityPolicy-TLS13-')) {
      throw new Error(`PublicLoadBalancer sslPolicy must be a TLS 1.3 policy (ELBSecurityPolicy-TLS13-*), got "${props.sslPolicy}"`);
    }
    this.loadBalancer = new Lb(this, 'Resource', {
      name: props.name,
      loadBalancerType: 'application',
      internal: false,
      subnets: [...props.subnetIds],
      securityGroups: [...props.securityGroupIds],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection,
      idleTimeout: props.idleTimeoutSeconds ?? ALB.idleTimeoutSeconds,
      accessLogs: { bucket: props.accessLogsBucket, prefix: props.accessLogsPrefix, enabled: true },
    });
    this.httpsListener = new LbListener(this, 'https_listener', {
      loadBalancerArn: this.loadBalancer.arn,
      port: ALB.httpsPort,
      protocol: 'HTTPS',
      sslPolicy: props.sslPolicy ?? ALB.sslPolicy,
      certificateArn: props.certificateArn,
      defaultAction: [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404', messageBody: 'Not Found' } }],
    });
    this.httpListener = new LbListener(this, 'http_listener', {
      loadBalancerArn: this.loadBalancer.arn,
      port: ALB.httpPort,
      protocol: 'HTTP',
      defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: String(ALB.httpsPort), statusCode: 'HTTP_301' } }],
    });
  }
}
