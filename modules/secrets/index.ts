export * from './secrets-key';
export * from './managed-secret';
export * from './rotation-function';
export * from './rotation-failure-alarm';
export * from './read-policy';
export { EphemeralRandomPassword, type EphemeralRandomPasswordProps } from './ephemeral-random-password';
export { secretFullName, secretNameProblem, type SecretConfig } from './config-schema';
