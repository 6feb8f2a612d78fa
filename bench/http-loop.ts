import { Agent, request } from 'node:http';
import { closedLoop, type Summary } from './stats';

export interface HttpLoopSummary extends Summary {
  readonly non2xx: number;
  readonly errors: number;
}

/**
 * `connections` concurrent closed loops of GET requests over keep-alive node:http connections (the HTTP
 * stack the SDK uses, so a route and a raw SDK call pay the same client costs; undici's fetch adds ~0.9 ms
 * per request here), timed with sub-millisecond resolution (autocannon reports whole milliseconds).
 * `url(i)` gives the i-th request's URL.
 */
export async function httpLoop(
  url: (i: number) => string,
  connections: number,
  durationMs: number,
): Promise<HttpLoopSummary> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let non2xx = 0;
  let errors = 0;
  const get = (i: number) =>
    new Promise<void>((resolve) => {
      request(url(i), { agent }, (res) => {
        if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299) non2xx++;
        res.resume();
        res.on('end', resolve);
      })
        .on('error', () => {
          errors++;
          resolve();
        })
        .end();
    });
  try {
    return { ...(await closedLoop(connections, durationMs, get)), non2xx, errors };
  } finally {
    agent.destroy();
  }
}
