/**
 * The search port contract (contract.ts) against the local engine adapter and a real local engine (Orama in
 * its own process, started as the platform starts it). Down: an endpoint nothing listens on; stalled: a TCP
 * server that takes the connection and never answers.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { LocalSearchEngine } from '../../../functions/search/adapters/local-engine';
import { startSearchEngine } from '../../../local/engines/search';
import { HOST, freePort, type StartedEngine } from '../../../local/engines/process';
import { describeSearchContract } from './contract';

let engine: StartedEngine | undefined;
let indexes = 0;
const silent: { server: Server; sockets: Set<Socket> }[] = [];

describeSearchContract('local engine (Orama)', {
  start: async () => {
    engine = await startSearchEngine();
  },
  stop: async () => {
    for (const { server, sockets } of silent.splice(0)) {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
    await engine?.stop();
  },
  fresh: async () => {
    const adapter = new LocalSearchEngine(engine!.endpoint);
    await adapter.publishIndex(await adapter.beginIndex(`contract${++indexes}`));
    return adapter;
  },
  unavailable: async () => new LocalSearchEngine(`http://${HOST}:${await freePort()}`),
  stalled: async () => {
    const sockets = new Set<Socket>();
    let arrived!: () => void;
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.once('data', () => arrived());
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    silent.push({ server, sockets });
    const { port } = server.address() as { port: number };
    return { engine: new LocalSearchEngine(`http://${HOST}:${port}`), reached };
  },
});
