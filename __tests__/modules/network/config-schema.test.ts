import { validatePlatform } from '../../../environments/load';
import { asRaw, problemsOf, shippedConfigs, type RawEnvironments } from '../../helpers/environments';
import { networkSettings } from '../../../modules/network/settings';
import { shippedPlatform } from '../../helpers/platform';

function accepted(mutate: (configs: RawEnvironments) => void): void {
  const configs = shippedConfigs();
  mutate(configs);
  expect(() => validatePlatform(asRaw(configs))).not.toThrow();
}

describe('network config', () => {
  describe('defaults by tier', () => {
    const platform = shippedPlatform();
    it.each([
      ['dev', 'single'],
      ['staging', 'single'],
      ['prod', 'per-az'],
      ['shared', 'per-az'],
    ])('%s gets NAT mode %s', (env, mode) => {
      expect(networkSettings(platform.environment(env)).natMode).toBe(mode);
    });
  });

  describe('overlapping ranges', () => {
    it('names the VPC range that overlaps another environment', () => {
      expect(problemsOf((c) => (c.staging.vpcCidr = '10.10.128.0/17'))).toMatch(
        /environments\/staging\/config.ts: vpcCidr: overlaps 10.10.0.0\/16 \(dev vpcCidr\).*\(got "10.10.128.0\/17"\)/,
      );
    });

    it('names a VPC range that overlaps the on-premises range', () => {
      expect(problemsOf((c) => (c.prod.vpcCidr = '192.168.0.0/16'))).toMatch(
        /environments\/shared\/config.ts: organization.transitGateway.onPremises.cidrs.0: overlaps 192.168.0.0\/16 \(prod vpcCidr\)/,
      );
    });
  });

  describe('RAM sharing with AWS Organizations (the Transit Gateway share has no external principals)', () => {
    it('fails while the organization section does not state it is enabled, naming the accounts and the fix', () => {
      const message = problemsOf((c) => delete (c.shared.organization as any).ramSharingWithOrganization);
      expect(message).toMatch(/environments\/shared\/config.ts: organization.ramSharingWithOrganization: must be true/);
      expect(message).toMatch(/dev \(510987654321\), staging \(610987654321\), prod \(710987654321\)/);
      expect(message).toMatch(/aws ram enable-sharing-with-aws-organization/);
    });

    it('names the value received when it is false', () => {
      expect(problemsOf((c) => ((c.shared.organization as any).ramSharingWithOrganization = false))).toMatch(/ramSharingWithOrganization: must be true.*\(got false\)/s);
    });

    it('is not needed when every VPC is in the hub account (nothing is shared)', () => {
      accepted((c) => {
        delete (c.shared.organization as any).ramSharingWithOrganization;
        for (const name of ['dev', 'staging', 'prod']) delete c[name];
        c.shared.secrets = [];
      });
    });
  });

  describe('subnet layout', () => {
    it('rejects a VPC range too small for the layout', () => {
      expect(problemsOf((c) => (c.dev.vpcCidr = '10.10.0.0/22'))).toMatch(/environments\/dev\/config.ts: vpcCidr: 10.10.0.0\/22 is too small for the subnet layout.*\(got "10.10.0.0\/22"\)/);
    });

    it('rejects a zone list the layout cannot fit (a zone twice)', () => {
      expect(problemsOf((c) => (c.dev.availabilityZones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1a']))).toMatch(
        /environments\/dev\/config.ts: availabilityZones: cannot be laid out in 10.10.0.0\/16: zones eu-west-1a are listed twice/,
      );
    });
  });

  describe('NAT mode none', () => {
    /** The dev services of the shipped config (the api service). */
    const withServices = (c: RawEnvironments) => expect(c.dev.services.list.map((service: { name: string }) => service.name)).toContain('api');

    it('rejects it when services are declared and the endpoints they need are missing', () => {
      expect(
        problemsOf((c) => {
          withServices(c);
          c.dev.network = { natMode: 'none', interfaceEndpoints: ['ecr.api', 'sts'] };
        }),
      ).toMatch(/environments\/dev\/config.ts: network.natMode: is none, but services api(, [a-z-]+)* need egress .* lacks ecr.dkr, logs; add ecr.dkr, logs to network.interfaceEndpoints or use natMode 'single' or 'per-az' \(got "none"\)/);
    });

    it('accepts it with the default endpoint list', () => {
      accepted((c) => {
        withServices(c);
        c.dev.network = { natMode: 'none' };
      });
    });

    it('accepts it without services', () => {
      accepted((c) => {
        c.dev.services = { ...c.dev.services, list: [] };
        c.dev.secrets = [];
        c.dev.network = { natMode: 'none', interfaceEndpoints: [] };
      });
    });
  });

  it('rejects a VPC in another region than the hub', () => {
    expect(
      problemsOf((c) => {
        c.dev.region = 'eu-central-1';
        c.dev.availabilityZones = ['eu-central-1a', 'eu-central-1b'];
      }),
    ).toMatch(/environments\/dev\/config.ts: region: must be the region of the Transit Gateway hub \(eu-west-1, environment shared\)/);
  });

  describe('segments', () => {
    it('rejects an unknown segment name', () => {
      expect(problemsOf((c) => (c.dev.segment = 'staging'))).toMatch(/environments\/dev\/config.ts: segment: must be one of prod, nonprod, shared \(got "staging"\)/);
    });

    it('rejects an unknown segment in the on-premises reach', () => {
      expect(problemsOf((c) => (c.shared.organization.transitGateway.onPremises.reachableFrom = ['prod', 'corp']))).toMatch(
        /environments\/shared\/config.ts: organization.transitGateway.onPremises.reachableFrom.1: is not a segment; allowed: prod, nonprod, shared \(got "corp"\)/,
      );
    });
  });

  describe('endpoint and port lists', () => {
    it.each([
      [(c: RawEnvironments) => (c.dev.network = { interfaceEndpoints: ['logs', 'logs'] }), /network.interfaceEndpoints: lists logs more than once/],
      [(c: RawEnvironments) => (c.dev.network = { interfaceEndpoints: ['s3'] }), /network.interfaceEndpoints: s3 is a gateway endpoint, always created/],
      [(c: RawEnvironments) => (c.dev.network = { servicePorts: Array.from({ length: 11 }, (_, i) => 8000 + i) }), /network.servicePorts: may list at most 10 entries/],
      [(c: RawEnvironments) => (c.dev.network = { natMode: 'two' }), /network.natMode: must be one of none, single, per-az/],
    ])('rejects bad lists (%#)', (mutate, message) => {
      expect(problemsOf(mutate)).toMatch(message);
    });
  });
});
