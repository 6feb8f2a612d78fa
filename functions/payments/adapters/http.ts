/**
 * One HTTP call to a provider with its own timeout (node's fetch, no SDK): past `timeoutMs` the call is
 * abandoned and `ProviderTimeoutError` says the outcome is unknown; a refused connection, a 5xx or a 429
 * is `ProviderUnavailableError`. Other statuses are answers for the adapter to map.
 */
import { ProviderTimeoutError, ProviderUnavailableError } from '../domain';

export interface ProviderResponse {
  readonly status: number;
  readonly body: unknown;
}

export async function providerCall(
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  timeoutMs: number,
  what: string,
): Promise<ProviderResponse> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    text = await response.text();
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new ProviderTimeoutError(what);
    throw new ProviderUnavailableError(`${what}: ${(error as Error).message}`);
  }
  if (response.status >= 500 || response.status === 429)
    throw new ProviderUnavailableError(`${what}: HTTP ${response.status}`);
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new ProviderUnavailableError(`${what}: the answer is not JSON`);
  }
  return { status: response.status, body };
}
