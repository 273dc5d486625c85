import { formatImageRef, imageUri, parseImageRef } from '../../../modules/containers';

const DIGEST = `sha256:${'a1'.repeat(32)}`;

describe('parseImageRef', () => {
  it.each([
    ['api:1.4.2', { repository: 'api', tag: '1.4.2' }],
    ['team/api:2024-01-01_3', { repository: 'team/api', tag: '2024-01-01_3' }],
    [`api@${DIGEST}`, { repository: 'api', digest: DIGEST }],
  ])('accepts %s', (ref, image) => {
    expect(parseImageRef(ref)).toEqual({ ok: true, image });
    expect(formatImageRef(image)).toBe(ref);
  });

  it.each([
    ['api', /pins neither a tag nor a digest/],
    ['api:', /invalid tag ""/],
    ['api:latest', /floating tag "latest"/],
    [`api:1.0@${DIGEST}`, /pins both a tag and a digest/],
    ['api@sha256:ABC', /digest that is not sha256:<64 lower-case hex>/],
    ['API:1.0', /invalid repository name "API"/],
    [':1.0', /has no repository/],
    ['410987654321.dkr.ecr.eu-west-1.amazonaws.com/api:1.0', /names a registry host/],
  ])('rejects %s', (ref, problem) => {
    const parsed = parseImageRef(ref);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatch(problem);
  });

  it('builds the image URI on the registry host', () => {
    expect(imageUri('410987654321.dkr.ecr.eu-west-1.amazonaws.com', { repository: 'api', digest: DIGEST })).toBe(`410987654321.dkr.ecr.eu-west-1.amazonaws.com/api@${DIGEST}`);
  });
});
