/** The network section of one environment with every default applied. */
import type { EnvironmentConfig } from '../../environments/schema';
import { forTier } from '../core/tier';
import type { NatMode } from './config-schema';
import {
  DEFAULT_ALB_INGRESS_CIDRS,
  DEFAULT_DATABASE_PORTS,
  DEFAULT_INTERFACE_ENDPOINTS,
  DEFAULT_SERVICE_PORTS,
  FLOW_LOG_AGGREGATION_SECONDS,
  FLOW_LOG_RETENTION_DAYS,
  FLOW_LOGS_TO_CLOUDWATCH,
  NAT_MODE,
} from './defaults';

export interface NetworkSettings {
  readonly natMode: NatMode;
  readonly interfaceEndpoints: readonly string[];
  readonly flowLogsToCloudWatch: boolean;
  readonly flowLogRetentionDays: number;
  readonly flowLogAggregationSeconds: 60 | 600;
  readonly albIngressCidrs: readonly string[];
  readonly servicePorts: readonly number[];
  readonly databasePorts: readonly number[];
}

export function networkSettings(env: EnvironmentConfig): NetworkSettings {
  const network = env.network ?? {};
  return {
    natMode: network.natMode ?? forTier(NAT_MODE, env.tier),
    interfaceEndpoints: network.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS,
    flowLogsToCloudWatch: network.flowLogsToCloudWatch ?? FLOW_LOGS_TO_CLOUDWATCH,
    flowLogRetentionDays: forTier(FLOW_LOG_RETENTION_DAYS, env.tier),
    flowLogAggregationSeconds: forTier(FLOW_LOG_AGGREGATION_SECONDS, env.tier),
    albIngressCidrs: network.albIngressCidrs ?? DEFAULT_ALB_INGRESS_CIDRS,
    servicePorts: network.servicePorts ?? DEFAULT_SERVICE_PORTS,
    databasePorts: network.databasePorts ?? DEFAULT_DATABASE_PORTS,
  };
}

