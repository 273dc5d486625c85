import { NOT_APPLICABLE, defineRule, everyTier, problems } from '../rule';
import { MODERN_TLS_POLICIES, RECOMMENDED_TLS_POLICY } from '../defaults';
import { block, blocks } from '../private/values';

/** Listener protocols of network load balancers this rule does not judge (no TLS at all). */
const PLAIN_TRANSPORT = ['TCP', 'UDP', 'TCP_UDP', 'GENEVE'];

export const albListenerHttps = defineRule({
  id: 'PLAT-ELB-1',
  name: 'alb-listener-https',
  info: 'Load balancer listeners use HTTPS (or TLS) with a modern TLS policy; HTTP listeners only redirect to HTTPS.',
  explanation: 'Clients must not be served over plain HTTP, and old TLS policies allow TLS 1.0/1.1 and ciphers without forward secrecy.',
  fix: `Use protocol "HTTPS" with ssl_policy = "${RECOMMENDED_TLS_POLICY}" (or another of MODERN_TLS_POLICIES in modules/guardrails/defaults.ts); an HTTP listener's default_action must be a redirect with protocol "HTTPS".`,
  level: everyTier('error'),
  resourceTypes: ['aws_lb_listener', 'aws_alb_listener'],
  evaluate(listener) {
    const protocol = String(listener.attributes.protocol ?? 'HTTP').toUpperCase();
    if (PLAIN_TRANSPORT.includes(protocol)) return NOT_APPLICABLE;
    if (protocol === 'HTTPS' || protocol === 'TLS') {
      const policy = listener.attributes.ssl_policy;
      return problems(
        !MODERN_TLS_POLICIES.includes(String(policy)) && `${protocol} listener uses ssl_policy ${policy === undefined ? '(provider default ELBSecurityPolicy-2016-08)' : String(policy)}, not a modern TLS policy`,
      );
    }
    const actions = blocks(listener.attributes.default_action);
    const redirectsToHttps = actions.length > 0 && actions.every((action) => action.type === 'redirect' && block(action.redirect)?.protocol === 'HTTPS');
    return problems(!redirectsToHttps && `${protocol} listener does not only redirect to HTTPS`);
  },
});
