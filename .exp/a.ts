import { fixtureRoute, readHandler } from '../bench/fixtures/runtime-read';
const m = (globalThis as any).__marks ??= [];
m.push(['runtime', performance.now()]);
import('./b').then(() => { m.push(['schema', performance.now()]); });
export const handler = readHandler(fixtureRoute);
