import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { denyInsecureTransport, policyDocument } from '../../../modules/core/iam';
import { newTestStack } from '../../helpers/platform';

describe('policyDocument', () => {
  it('is plain JSON when no value is a token', () => {
    const text = policyDocument([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }]);
    expect(JSON.parse(text)).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] });
  });

  it('is rendered with jsonencode when a value is a token, so the HCL output stays valid', () => {
    const bucket = new S3Bucket(newTestStack(), 'b', { bucket: 'b' });
    const text = policyDocument([denyInsecureTransport([bucket.arn])]);
    expect(() => JSON.parse(text)).toThrow();
    expect(text).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
  });
});
