import { simulatorConfigFromEnv } from '../../../local/provider-simulator';

it('reads the provider knobs, refusing malformed values', () => {
  expect(
    simulatorConfigFromEnv({
      ZEPTO_PROVIDER_DECLINE_RATE: '0.2',
      ZEPTO_PROVIDER_ERROR_RATE: '0.3',
      ZEPTO_PROVIDER_TIMEOUT_RATE: '.1',
      ZEPTO_PROVIDER_LATENCY_MS: '200',
    }),
  ).toEqual({ declineRate: 0.2, errorRate: 0.3, timeoutRate: 0.1, latencyMs: 200 });
  expect(simulatorConfigFromEnv({})).toEqual({});
  expect(() => simulatorConfigFromEnv({ ZEPTO_PROVIDER_ERROR_RATE: '1.5' })).toThrow(/0 to 1/);
  expect(() => simulatorConfigFromEnv({ ZEPTO_PROVIDER_DECLINE_RATE: 'lots' })).toThrow(/0 to 1/);
  expect(() => simulatorConfigFromEnv({ ZEPTO_PROVIDER_LATENCY_MS: '-5' })).toThrow(/milliseconds/);
  expect(() =>
    simulatorConfigFromEnv({ ZEPTO_PROVIDER_DECLINE_RATE: '0.6', ZEPTO_PROVIDER_ERROR_RATE: '0.6' }),
  ).toThrow(/exceed 1/);
});
