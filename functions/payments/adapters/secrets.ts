/**
 * The provider's secrets (ADR 18). In AWS: Secrets Manager, read through Powertools Parameters'
 * `SecretsProvider`, cached for `CACHE_SECONDS` per execution environment (a rotated key is picked up
 * within that time, and a warm function makes no Secrets Manager call per payment). Locally there is no
 * Secrets Manager emulator: the platform hands each function the simulator's values in
 * `<NAME>_SECRET_VALUE` (lib/app/env.ts), which a deployed stage never sets.
 */
import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { ProviderSecrets } from '../ports';

export const CACHE_SECONDS = 300;

export interface SecretSource {
  /** `<NAME>_SECRET_ARN` (AWS) … */
  readonly arn?: string;
  /** … or `<NAME>_SECRET_VALUE` (the local platform). */
  readonly value?: string;
}

let provider: SecretsProvider | undefined;

function reader(source: SecretSource, name: string): () => Promise<string> {
  if (source.arn) {
    const arn = source.arn;
    return async () => {
      // Loaded on first use: the local platform's functions never load the Secrets Manager client.
      provider ??= new (await import('@aws-lambda-powertools/parameters/secrets')).SecretsProvider();
      const value = await provider.get(arn, { maxAge: CACHE_SECONDS });
      if (typeof value !== 'string' || value === '') throw new Error(`Secret ${name} is empty`);
      return value;
    };
  }
  if (source.value) {
    const value = source.value;
    return async () => value;
  }
  return async () => {
    throw new Error(`Secret ${name} is not configured for this function`);
  };
}

export function providerSecrets(apiKey: SecretSource, webhook: SecretSource): ProviderSecrets {
  return {
    apiKey: reader(apiKey, 'PaymentProviderApiKey'),
    webhookSecret: reader(webhook, 'PaymentWebhookSigning'),
  };
}
