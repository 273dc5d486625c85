import { defineRule, everyTier, problems } from '../rule';

export const vpcFlowLogs = defineRule({
  id: 'PLAT-VPC-1',
  name: 'vpc-flow-logs',
  info: 'Every VPC has a flow log.',
  explanation: 'Flow logs are the only record of which addresses talked to which; incident response needs them from day one.',
  fix: 'Add an aws_flow_log with vpc_id = the VPC, delivering to the log archive bucket (and optionally CloudWatch Logs).',
  level: everyTier('error'),
  resourceTypes: ['aws_vpc'],
  evaluate(vpc, { stack }) {
    return problems(stack.referencing('aws_flow_log', 'vpc_id', vpc).length === 0 && 'has no aws_flow_log');
  },
});
