import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { expose } from 'comlink';

/** A Worker as the page starts one, its module's API run in the test's own thread (Node has no Web Workers). */
export interface InThreadWorkers {
  /** What each started worker was: its script URL and options, and whether it was ended. */
  started: { url: string; name: string | undefined; terminated: boolean }[];
  /** A class to stand in for the global Worker (vi.stubGlobal('Worker', ...)). */
  Worker: new (url: URL | string, options?: WorkerOptions) => Worker;
}

/**
 * Workers whose script is answered by `api` through comlink over a real MessageChannel (so what crosses is cloned
 * or transferred as it would be between threads). `api` undefined: a worker that never answers (a hung script).
 */
export function inThreadWorkers(api: object | undefined): InThreadWorkers {
  const started: InThreadWorkers['started'] = [];
  class InThreadWorker {
    private readonly port: MessagePort;
    private readonly other: MessagePort;
    private readonly record: InThreadWorkers['started'][number];
    constructor(url: URL | string, options?: WorkerOptions) {
      const { port1, port2 } = new MessageChannel();
      this.port = port1;
      this.other = port2;
      this.record = { url: String(url), name: options?.name, terminated: false };
      started.push(this.record);
      if (api) expose(api, port2 as unknown as Parameters<typeof expose>[1]);
    }
    postMessage(message: unknown, transfer?: Transferable[]) {
      this.port.postMessage(message, (transfer ?? []) as never);
    }
    addEventListener(type: string, listener: (event: MessageEvent) => void) {
      this.port.addEventListener(type, listener as never);
      this.port.start();
    }
    removeEventListener(type: string, listener: (event: MessageEvent) => void) {
      this.port.removeEventListener(type, listener as never);
    }
    terminate() {
      this.record.terminated = true;
      this.port.close();
      this.other.close();
    }
  }
  return { started, Worker: InThreadWorker as unknown as InThreadWorkers['Worker'] };
}
