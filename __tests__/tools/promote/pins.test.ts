import { pinnedValues } from '../../../tools/promote/pins';
import { PROMOTABLE_FIELDS } from '../../../tools/promote/promotable-fields';
import { formatPath } from '../../../tools/promote/paths';
import { shippedPlatform } from '../../helpers/platform';
import type { EnvironmentConfig } from '../../../environments/schema';

function withImage(image: string): EnvironmentConfig {
  const dev = JSON.parse(JSON.stringify(shippedPlatform().environment('dev'))) as EnvironmentConfig;
  (dev.services.list[0] as { image: string }).image = image;
  return dev;
}

describe('pinnedValues', () => {
  it("names each service's image by the service name, not its position", () => {
    const paths = pinnedValues(shippedPlatform().environment('dev'), PROMOTABLE_FIELDS).map((pin) => formatPath(pin.path));
    expect(paths).toEqual(expect.arrayContaining(['services.list.api.image', 'services.list.web.image']));
  });

  it('reads every key of `promotable`, whole even when it holds dots', () => {
    const dev = { ...shippedPlatform().environment('dev'), promotable: { 'feature.checkout-v2': true, retries: 3 } };
    const pins = pinnedValues(dev, PROMOTABLE_FIELDS).filter((pin) => pin.path[0] === 'promotable');
    expect(pins.map((pin) => [pin.path, pin.value])).toEqual([
      [['promotable', 'feature.checkout-v2'], true],
      [['promotable', 'retries'], 3],
    ]);
  });

  describe('a pin that does not parse', () => {
    it.each([
      ['api', /environments\/dev\/config.ts: services.list.api.image: "api" pins neither a tag nor a digest/],
      ['api:latest', /services.list.api.image: "api:latest" uses the floating tag "latest"/],
      ['api@sha256:1234', /services.list.api.image: "api@sha256:1234" has a digest that is not sha256:<64 lower-case hex>/],
      [`api@md5:${'a'.repeat(64)}`, /services.list.api.image: .* has a digest that is not sha256/],
    ])('%s is refused, naming the environment and field', (image, message) => {
      expect(() => pinnedValues(withImage(image), PROMOTABLE_FIELDS)).toThrow(message);
    });

    it('accepts a sha256 digest', () => {
      const pins = pinnedValues(withImage(`api@sha256:${'0'.repeat(64)}`), PROMOTABLE_FIELDS);
      expect(pins.find((pin) => formatPath(pin.path) === 'services.list.api.image')?.value).toBe(`api@sha256:${'0'.repeat(64)}`);
    });
  });
});
