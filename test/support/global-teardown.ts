/** Jest global teardown of the `integration` project: stops the engines global-setup.ts started. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__ZEPTO_EVENTS_STOP__?.();
  globalThis.__ZEPTO_EVENTS_STOP__ = undefined;
  const engines = globalThis.__ZEPTO_ENGINES__;
  globalThis.__ZEPTO_ENGINES__ = undefined;
  await engines?.stop();
}
