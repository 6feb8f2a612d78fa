/**
 * Stands in for `@aws-sdk/credential-provider-node` in function bundles (an esbuild alias set once in
 * lib/app/bundling.ts). Lambda hands every execution environment its role's credentials in environment
 * variables, and the local runtime passes its credentials the same way, so the SDK's full chain (SSO, INI
 * files, process, web identity, IMDS and the nested STS/SSO clients they load) is dead weight in a
 * function: about 80 KiB and their module load on every cold start. Written by hand because no package
 * offers the environment-only chain under the default provider's name.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type FromEnvInit = Parameters<typeof fromEnv>[0];

export const defaultProvider = (init?: FromEnvInit) => fromEnv(init);
