/**
 * The search port contract (contract.ts) against the OpenSearch adapter with the real OpenSearch client,
 * its HTTP layer replaced by @short.io/opensearch-mock answering as OpenSearch does (opensearch-answers.ts).
 * Down: every request fails to connect (the client's ConnectionError); stalled: the connection takes the
 * request and never calls back. The adapter's exact request bodies are test/unit/search's golden files.
 */
import { Client, errors } from '@opensearch-project/opensearch';
import Mock from '@short.io/opensearch-mock';
import { OpenSearchEngine } from '../../../functions/search/adapters/opensearch';
import { describeSearchContract } from './contract';
import { programOpenSearch } from './opensearch-answers';

let indexes = 0;
const engineOver = (Connection: ReturnType<Mock['getConnection']>) => {
  const client = new Client({ node: 'http://search.test:9200', Connection });
  return new OpenSearchEngine(async () => client, { replicas: 0 });
};

describeSearchContract('OpenSearch adapter (opensearch-mock)', {
  fresh: async () => {
    const mock = new Mock();
    programOpenSearch(mock);
    const engine = engineOver(mock.getConnection());
    await engine.publishIndex(await engine.beginIndex(`contract${++indexes}`));
    return engine;
  },
  unavailable: async () => {
    const mock = new Mock();
    const refused = () => new errors.ConnectionError('connect ECONNREFUSED 10.0.0.1:443');
    for (const path of [
      '/:index',
      '/_alias/:name',
      '/_aliases',
      '/_bulk',
      '/:index/_search',
      '/:index/_refresh',
    ])
      mock.add({ method: ['GET', 'POST', 'PUT'], path }, refused);
    return engineOver(mock.getConnection());
  },
  stalled: async () => {
    const mock = new Mock();
    programOpenSearch(mock);
    let arrived!: () => void;
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    const Answering = mock.getConnection();
    class Stalled extends Answering {
      override request(...args: Parameters<InstanceType<typeof Answering>['request']>) {
        const [params] = args as unknown as [{ path: string }];
        if (!params.path.endsWith('/_search')) return super.request(...args);
        arrived();
        return { abort: () => undefined } as never;
      }
    }
    const engine = engineOver(Stalled);
    await engine.publishIndex(await engine.beginIndex(`contract${++indexes}`));
    return { engine, reached };
  },
});
