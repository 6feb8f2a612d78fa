/** Jest global teardown of the `integration` project: stops the engines global-setup.ts started. */
export default async function globalTeardown(): Promise<void> {
  const engines = globalThis.__ZEPTO_ENGINES__;
  globalThis.__ZEPTO_ENGINES__ = undefined;
  await engines?.stop();
}
