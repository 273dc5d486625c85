import { PublicLoadBalancer, type PublicLoadBalancerProps } from '../../../modules/containers';
import { newTestStack, resourcesOf, synthJson } from '../../helpers/platform';

function synthAlb(overrides: Partial<PublicLoadBalancerProps> = {}) {
  const stack = newTestStack('dev');
  new PublicLoadBalancer(stack, 'load_balancer', {
    name: 'dev-platform',
    subnetIds: ['subnet-public-a', 'subnet-public-b'],
    securityGroupIds: ['sg-alb'],
    certificateArn: 'arn:aws:acm:eu-west-1:510987654321:certificate/0b7d3c1e-5f6a-4b8c-9d0e-1f2a3b4c5d6e',
    accessLogsBucket: 'acme-alb-logs-310987654321',
    accessLogsPrefix: 'alb/dev',
    deletionProtection: false,
    ...overrides,
  });
  return synthJson(stack);
}

describe('PublicLoadBalancer', () => {
  const json = synthAlb();
  it('is internet-facing in the public subnets, drops invalid headers, logs to the archive', () => {
    expect(resourcesOf(json, 'aws_lb').load_balancer).toEqual(
      expect.objectContaining({
        internal: false,
        load_balancer_type: 'application',
        subnets: ['subnet-public-a', 'subnet-public-b'],
        security_groups: ['sg-alb'],
        drop_invalid_header_fields: true,
        enable_deletion_protection: false,
        access_logs: { bucket: 'acme-alb-logs-310987654321', prefix: 'alb/dev', enabled: true },
      }),
    );
  });
  it('serves HTTPS with the TLS 1.3 policy and redirects HTTP', () => {
    const listeners = resourcesOf(json, 'aws_lb_listener');
    expect(listeners.load_balancer_https_listener).toEqual(
      expect.objectContaining({ port: 443, protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', certificate_arn: expect.stringMatching(/^arn:aws:acm:/) }),
    );
    expect(listeners.load_balancer_http_listener.default_action).toEqual([
      expect.objectContaining({ type: 'redirect', redirect: expect.objectContaining({ protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' }) }),
    ]);
  });
  it('keeps deletion protection when asked (prod)', () => {
    expect(resourcesOf(synthAlb({ deletionProtection: true }), 'aws_lb').load_balancer.enable_deletion_protection).toBe(true);
  });
  it.each<[string, Partial<PublicLoadBalancerProps>, RegExp]>([
    ['one subnet', { subnetIds: ['subnet-public-a'] }, /at least two public subnets in different zones \(got 1\)/],
    ['an old TLS policy', { sslPolicy: 'ELBSecurityPolicy-2016-08' }, /sslPolicy must be a TLS 1.3 policy .*got "ELBSecurityPolicy-2016-08"/],
    ['a long name', { name: 'x'.repeat(33) }, /name must be at most 32/],
  ])('throws on %s', (_label, overrides, message) => {
    expect(() => synthAlb(overrides)).toThrow(message);
  });
});
