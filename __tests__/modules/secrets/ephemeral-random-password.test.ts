import { Testing } from 'cdktf';
import { EphemeralRandomPassword } from '../../../modules/secrets/ephemeral-random-password';
import { emptyStack, platformWithSecrets } from './helpers';

describe('EphemeralRandomPassword', () => {
  it('renders an ephemeral block and references it', () => {
    const stack = emptyStack(platformWithSecrets());
    const password = new EphemeralRandomPassword(stack, 'db_password', { passwordLengthChars: 40, excludeCharacters: '"@/' });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.ephemeral.aws_secretsmanager_random_password.db_password).toEqual({ password_length: 40, exclude_characters: '"@/', require_each_included_type: true });
    expect(password.value).toBe('${ephemeral.aws_secretsmanager_random_password.db_password.random_password}');
  });
});
