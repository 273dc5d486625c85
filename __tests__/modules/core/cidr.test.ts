import { summarizeIpv4Cidrs } from '../../../modules/core/cidr';

describe('summarizeIpv4Cidrs', () => {
  it.each([
    [['10.102.0.0/16', '10.103.0.0/16'], ['10.102.0.0/15']],
    [['10.104.0.0/16', '10.105.0.0/16', '10.106.0.0/16', '10.107.0.0/16'], ['10.104.0.0/14']],
    [['10.0.0.0/16', '10.0.4.0/24'], ['10.0.0.0/16']],
    [['192.168.0.0/16', '10.1.0.0/16'], ['10.1.0.0/16', '192.168.0.0/16']],
  ])('covers %j exactly with %j', (input, expected) => {
    expect(summarizeIpv4Cidrs(input)).toEqual(expected);
  });

  it('never merges neighbours that are not aligned: 10.101/16 + 10.102/16 would add 10.100/16 and 10.103/16', () => {
    expect(summarizeIpv4Cidrs(['10.101.0.0/16', '10.102.0.0/16'])).toEqual(['10.101.0.0/16', '10.102.0.0/16']);
  });
});
