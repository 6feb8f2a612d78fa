/**
 * Shared plumbing for the local engines: free ports, child processes with a log tail, readiness polling,
 * and making sure no engine outlives the process that started it.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export const HOST = '127.0.0.1';

const handedOut = new Set<number>();

/** A TCP port that is free on 127.0.0.1 right now (never the same one twice within this process). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.unref();
      server.on('error', reject);
      server.listen(0, HOST, () => {
        const address = server.address();
        const found = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolve(found));
      });
    });
    if (port && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('Could not find a free TCP port on 127.0.0.1');
}

export interface EngineProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has gone. */
  readonly exited: Promise<number | string | null>;
  /** Set when the executable could not be started at all (e.g. not installed). */
  readonly spawnError: Error | undefined;
  /** Last lines of stdout/stderr, for error messages. */
  logTail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnEngineOptions extends Pick<SpawnOptions, 'cwd' | 'env'> {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Open an IPC channel (node children only). */
  readonly ipc?: boolean;
  /** Message for a missing executable (spawn ENOENT). */
  readonly notFoundHint?: string;
  /** Echo the engine's output to this process's stderr (ZEPTO_ENGINE_LOGS=1 turns it on for all). */
  readonly echo?: boolean;
}

const MAX_LOG_LINES = 60;

/** Starts a child that dies with this process; output is kept in a small ring buffer. */
export function spawnEngine(opts: SpawnEngineOptions): EngineProcess {
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  const echo = opts.echo ?? process.env.ZEPTO_ENGINE_LOGS === '1';
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (echo) process.stderr.write(text.replace(/^(?=.)/gm, `[${opts.name}] `));
    for (const line of text.split('\n')) if (line.trim()) lines.push(line);
    if (lines.length > MAX_LOG_LINES) lines.splice(0, lines.length - MAX_LOG_LINES);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // Log pipes and IPC must not keep the parent alive on their own.
  for (const handle of [child.stdout, child.stderr, child.channel]) unref(handle);

  let spawnError: Error | undefined;
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      spawnError =
        err.code === 'ENOENT'
          ? new Error(`${opts.name}: '${opts.command}' not found. ${opts.notFoundHint ?? ''}`.trim())
          : err;
      lines.push(String(spawnError.message));
      resolve(err.code ?? 'error');
    });
    child.once('exit', (code, signal) => resolve(code ?? signal));
  });
  if (child.pid) track(child.pid);
  void exited.then(() => child.pid && untrack(child.pid));

  const engine: EngineProcess = {
    name: opts.name,
    child,
    exited,
    get spawnError() {
      return spawnError;
    },
    logTail: () => lines.join('\n'),
    async stop(graceMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null || spawnError) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  return engine;
}

/**
 * Polls `probe` until it returns true. Fails fast, with the engine's last log lines, if the process exits
 * first; fails after `timeoutMs` otherwise.
 */
export async function waitUntilReady(
  engine: EngineProcess,
  probe: () => Promise<boolean>,
  { timeoutMs = 30_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: number | string | null | undefined;
  void engine.exited.then((code) => (exitedWith = code));
  for (;;) {
    if (exitedWith !== undefined) {
      if (engine.spawnError) throw engine.spawnError;
      throw new Error(`${engine.name} exited (${exitedWith}) before it was ready:\n${engine.logTail()}`);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      await engine.stop(500);
      throw new Error(`${engine.name} was not ready after ${timeoutMs} ms:\n${engine.logTail()}`);
    }
    await sleep(intervalMs);
  }
}

/** True when an HTTP GET to `url` answers with a status below 500. */
export async function httpAnswers(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await res.arrayBuffer();
  return res.status < 500;
}

/** Sends `request` over a TCP connection and resolves with the first chunk of the reply. */
export function tcpRequest(port: number, request: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, HOST);
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('timeout')));
    socket.once('error', reject);
    socket.once('connect', () => socket.write(request));
    socket.once('data', (data) => {
      resolve(data.toString('utf8'));
      socket.end();
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Children must not outlive their parent. Normal exits and uncaught exceptions run the 'exit' hook below.
// A parent that is SIGKILLed (or SIGTERMed without a handler) runs no hook, so a tiny detached watchdog
// holds a pipe from us: when the pipe closes, whatever the reason, it kills the pids it was told about.

const live = new Set<number>();
let watchdog: ChildProcess | undefined;

const WATCHDOG = `
const pids = new Set();
let buf = '';
process.stdin.on('data', (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\\n')) >= 0) {
    const line = buf.slice(0, i); buf = buf.slice(i + 1);
    const pid = Number(line.slice(1));
    if (line[0] === '+') pids.add(pid); else pids.delete(pid);
  }
});
process.stdin.on('end', () => {
  if (pids.size === 0) process.exit(0);
  for (const pid of pids) { try { process.kill(pid, 'SIGTERM'); } catch {} }
  setTimeout(() => { for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} } process.exit(0); }, 2000);
});
`;

function tell(line: string): void {
  if (!watchdog) {
    watchdog = spawn(process.execPath, ['-e', WATCHDOG], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    watchdog.on('error', () => undefined);
    watchdog.stdin?.on('error', () => undefined);
    watchdog.unref();
    unref(watchdog.stdin);
    process.once('exit', () => {
      for (const pid of live) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    });
  }
  watchdog.stdin?.write(`${line}\n`);
}

function track(pid: number): void {
  live.add(pid);
  tell(`+${pid}`);
}

function untrack(pid: number): void {
  live.delete(pid);
  tell(`-${pid}`);
}

/** Pipes are net.Sockets at runtime; unref them so they alone do not keep this process alive. */
function unref(handle: unknown): void {
  (handle as { unref?: () => void } | null | undefined)?.unref?.();
}

/** What each engine module's start function returns. */
export interface StartedEngine {
  readonly endpoint: string;
  stop(): Promise<void>;
}
