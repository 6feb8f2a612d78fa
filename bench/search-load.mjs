// One load run of GET requests cycling through paths (autocannon in its own process, like the rest of the
// bench), counting answers marked Zepto-Search-Degraded. Args: <base url> <connections> <seconds> <paths JSON>.
// Prints one JSON line: {p50, p99, mean, perSecond, count, non2xx, errors, degraded}.
import autocannon from 'autocannon';

const [url, connections, seconds, pathsJson] = process.argv.slice(2);
let degraded = 0;
const onResponse = (_status, _body, _context, headers) => {
  for (const [name, value] of Object.entries(headers ?? {}))
    if (name.toLowerCase() === 'zepto-search-degraded' && value === 'true') degraded++;
};
const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  requests: JSON.parse(pathsJson).map((path) => ({ method: 'GET', path, onResponse })),
});
process.stdout.write(
  `${JSON.stringify({
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.mean,
    perSecond: result.requests.average,
    count: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    degraded,
  })}\n`,
);
