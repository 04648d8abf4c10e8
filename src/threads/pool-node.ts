// Node only (no entry point of its own): the worker threads behind the Node entry points of the
// library (evolve/node, select/node), which ship in the library package. One request/reply loop
// serves both sides: `threadPool` hands requests to idle threads, `serveRequests` answers them.
import { Worker, parentPort } from 'node:worker_threads';
import { NeuriteError, type NeuriteErrorCode } from '../core/errors.js';

/**
 * The worker script `name` next to the module at `here` (an `import.meta.url`): `name.ts` when
 * running from source (vitest, tsx), `name.js` from the build.
 */
export function workerScript(here: string, name: string): URL {
  return new URL(`./${name}${here.endsWith('.ts') ? '.ts' : '.js'}`, here);
}

/**
 * Starts a worker thread on `script` and resolves once it posts `{ ready: true }`; rejects with
 * `what` in the message when it fails before that. From source, the worker registers tsx's loader
 * (a devDependency) before importing the TypeScript script.
 */
export function startWorker(script: URL, workerData: unknown, what: string): Promise<Worker> {
  return new Promise<Worker>((resolve, reject) => {
    const w = script.href.endsWith('.ts')
      ? new Worker(
          `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(script.href)}); });`,
          { eval: true, workerData },
        )
      : new Worker(script, { workerData });
    const onError = (e: unknown): void => {
      reject(
        new NeuriteError('INVALID_OPTION', `${what} failed to start: ${e instanceof Error ? e.message : String(e)}`),
      );
    };
    w.once('error', onError);
    w.once('message', (m: { ready?: boolean }) => {
      w.off('error', onError);
      if (m.ready === true) resolve(w);
    });
  });
}

/** An error as it crosses the thread boundary: plain data only (structured clone). */
interface ErrorReply {
  readonly message: string;
  readonly code?: NeuriteErrorCode;
  readonly details?: Record<string, string | number | boolean>;
}

interface Reply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: ErrorReply;
}

/** Worker threads that answer requests one at a time each; see {@link threadPool}. */
export interface ThreadPool {
  /** Threads started. */
  readonly size: number;
  /** Hands `message` to the next idle thread (queued while all are busy) and resolves with its answer. */
  request(message: unknown): Promise<unknown>;
  /** Terminates the threads; queued requests are rejected. */
  close(): Promise<void>;
}

interface Pending {
  readonly message: unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

/**
 * Starts `count` threads on `script` (which calls {@link serveRequests}) and returns the queue in
 * front of them: each request goes to a thread as soon as one is idle, so long and short requests
 * even out. A request that fails in the thread rejects with the thread's `NeuriteError` (code,
 * message, plain details) and `details.cause`; a thread that dies rejects its request and leaves
 * the pool.
 */
export async function threadPool(script: URL, workerData: unknown, count: number, what: string): Promise<ThreadPool> {
  const workers = await Promise.all(Array.from({ length: count }, () => startWorker(script, workerData, what)));
  const idle = [...workers];
  const queue: Pending[] = [];
  let alive = workers.length;
  let nextId = 0;
  const dispatch = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const w = idle.shift() as Worker;
      const task = queue.shift() as Pending;
      const id = nextId++;
      const onMessage = (m: Reply): void => {
        if (m.id !== id) return;
        w.off('message', onMessage);
        w.off('error', onError);
        idle.push(w);
        if (m.error === undefined) task.resolve(m.result);
        else {
          const { message, code, details } = m.error;
          task.reject(new NeuriteError(code ?? 'FITNESS_ERROR', message, { ...details, cause: new Error(message) }));
        }
        dispatch();
      };
      const onError = (e: unknown): void => {
        w.off('message', onMessage);
        task.reject(e);
        if (--alive === 0) {
          for (const t of queue.splice(0)) t.reject(new NeuriteError('FITNESS_ERROR', `every ${what} has stopped`));
        }
      };
      w.on('message', onMessage);
      w.once('error', onError);
      w.postMessage({ id, message: task.message });
    }
  };
  return {
    size: workers.length,
    request: (message) =>
      new Promise((resolve, reject) => {
        if (alive === 0) {
          reject(new NeuriteError('FITNESS_ERROR', `every ${what} has stopped`));
          return;
        }
        queue.push({ message, resolve, reject });
        dispatch();
      }),
    async close() {
      for (const t of queue.splice(0)) t.reject(new NeuriteError('ABORTED', `the ${what} pool was closed`));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** The plain-data form of a thrown value: NeuriteError code and scalar details survive the crossing. */
function errorReply(e: unknown): ErrorReply {
  if (!(e instanceof Error)) return { message: String(e) };
  if (!(e instanceof NeuriteError)) return { message: e.message };
  const details: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(e.details ?? {})) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') details[k] = v;
  }
  return { message: e.message, code: e.code, details };
}

/**
 * Thread side of {@link threadPool}: answers each request with `handle(message)` (awaited), or
 * with the error it throws, then tells the pool this thread is ready.
 */
export function serveRequests(handle: (message: unknown) => unknown): void {
  const port = parentPort;
  if (port === null) throw new Error('serveRequests runs in a worker thread');
  port.on('message', (m: { id: number; message: unknown }) => {
    void (async () => {
      try {
        port.postMessage({ id: m.id, result: await handle(m.message) });
      } catch (e) {
        port.postMessage({ id: m.id, error: errorReply(e) });
      }
    })();
  });
  port.postMessage({ ready: true });
}
