import { wrap, type Endpoint } from 'comlink';
import type { VaultWorkerApi } from './api';
import type { VaultClient } from './client';

/** What the connection needs of a worker: a Comlink endpoint that can be ended. */
export interface StoppableWorker extends Endpoint {
  terminate(): void;
}

/** A running vault worker: the client is the UI's only way in; `stop` ends the worker and everything in it. */
export interface VaultConnection {
  readonly client: VaultClient;
  /** Ends the worker. Every call still waiting, and every later call, rejects with `locked`. */
  stop(): void;
  readonly stopped: boolean;
  /** Whether the worker may hold, or have held, keys: a create, unlock or recover succeeded or is under way. */
  readonly mayHoldKeys: boolean;
  /** Settles once every save call (SAVE_CALLS) sent so far is answered, or the worker is ended. */
  savesSettled(): Promise<void>;
}

/** The calls after which a worker holds keys (when they succeed): a restore leaves the new vault unlocked. */
const KEY_CALLS: readonly string[] = ['createVault', 'unlock', 'recover', 'restoreBackup'];

/**
 * The calls that keep what the user asked for: a form's Save, a delete, the last step of an attach or of a
 * bundle's import. A lock lets those already sent finish (briefly: vault-runner.ts), so a Save pressed a moment
 * before a lock is kept rather than lost with the worker; reads and long work (an export, a search, a passphrase
 * change or a new recovery key, which re-seal the vault and are undone whole by a lock) are not waited for. Typed
 * against the API, so a renamed call is a compile error here.
 */
export const SAVE_CALLS: readonly (keyof VaultWorkerApi)[] = [
  'createCase',
  'updateCase',
  'setCaseArchived',
  'deleteCase',
  'acceptRecordsAsStored',
  'saveDraft',
  'discardDraft',
  'finishIntake',
  'deleteDocument',
  'updateProvenance',
  'saveDocumentText',
  'rememberDocumentPassword',
  'forgetDocumentPassword',
  'createAnnotation',
  'updateAnnotation',
  'deleteAnnotation',
  'importAnnotations',
  'saveHearing',
  'finaliseHearing',
  'deleteHearing',
  'saveTimelineEvent',
  'deleteTimelineEvent',
  'renameIdentity',
  'addContact',
  'updateContact',
  'removeContact',
  'commitBundleImport',
  'queueBundleFiles',
  'acceptQueuedBundle',
  'acceptVerifiedBundles',
  'removeFromBundleQueue',
  'updateSettings',
];

type MessageListener = EventListenerOrEventListenerObject;

/**
 * The answer a stopped worker gives: a thrown VaultError with the code `locked`, in Comlink's wire form for a
 * thrown value (the same form `rpc-errors.ts` gives a VaultError in the worker). Comlink's own `throw` handler
 * rethrows it as an Error that carries `code`, so `vaultErrorCode()` reads 'locked', and the caller's cleanup
 * (`catch`/`finally`: a picked file closed, a half-written save removed) runs as for any refusal.
 */
function lockedReply(id: string) {
  return {
    id,
    type: 'HANDLER',
    name: 'throw',
    value: { isError: true, value: { name: 'VaultError', message: 'The vault is locked.', code: 'locked' } },
  };
}

/**
 * Wraps a worker's endpoint so that ending the worker settles every call. Comlink alone waits forever for an
 * answer from a terminated worker: the UI's cleanup after a call (closing a picked file, removing a partial
 * decrypted save) would never run. Each request Comlink sends carries an id and waits for a message with that id;
 * this endpoint remembers the ids not yet answered and, at `stop`, answers each with `locked`. Once stopped,
 * nothing more reaches the worker and every new request gets `locked` at once; a late answer from the old worker
 * is dropped, so what a caller sees does not depend on a race with the termination.
 */
export function stoppableEndpoint(worker: StoppableWorker): {
  endpoint: Endpoint;
  stop: () => void;
  stopped: () => boolean;
  mayHoldKeys: () => boolean;
  savesSettled: () => Promise<void>;
} {
  const pending = new Set<string>();
  // Save calls not answered yet, each with what settles its waiters.
  const saves = new Map<string, { settled: Promise<void>; settle: () => void }>();
  // Ids of create/unlock/recover calls not answered yet, and whether one of them succeeded.
  const keyCalls = new Set<string>();
  let heldKeys = false;
  const listeners = new Map<MessageListener, EventListener>();
  let stopped = false;

  const deliver = (listener: MessageListener, event: MessageEvent) => {
    if (typeof listener === 'function') listener(event);
    else listener.handleEvent(event);
  };
  const answerLocked = (id: string) => {
    const event = new MessageEvent('message', { data: lockedReply(id) });
    for (const listener of [...listeners.keys()]) deliver(listener, event);
  };

  const settleSave = (id: string) => {
    saves.get(id)?.settle();
    saves.delete(id);
  };

  const endpoint: Endpoint = {
    postMessage(message: unknown, transfer?: Transferable[]) {
      const id = (message as { id?: unknown } | null)?.id;
      if (stopped) {
        // Asynchronously, as a real answer would come: the caller is already waiting on its promise.
        if (typeof id === 'string') queueMicrotask(() => answerLocked(id));
        return;
      }
      if (typeof id === 'string') {
        pending.add(id);
        const { type, path } = message as { type?: unknown; path?: unknown };
        const call = type === 'APPLY' && Array.isArray(path) && path.length === 1 ? String(path[0]) : null;
        if (call !== null && KEY_CALLS.includes(call)) keyCalls.add(id);
        if (call !== null && (SAVE_CALLS as readonly string[]).includes(call)) {
          let settle!: () => void;
          const settled = new Promise<void>((resolve) => (settle = resolve));
          saves.set(id, { settled, settle });
        }
      }
      worker.postMessage(message, transfer ?? []);
    },
    addEventListener(type: string, listener: MessageListener) {
      if (type !== 'message') {
        worker.addEventListener(type, listener);
        return;
      }
      const wrapped: EventListener = (event) => {
        if (stopped) return;
        const data = (event as MessageEvent).data as { id?: unknown; type?: unknown; name?: unknown } | null;
        const id = data?.id;
        if (typeof id === 'string') {
          pending.delete(id);
          settleSave(id);
          if (keyCalls.delete(id) && !(data?.type === 'HANDLER' && data.name === 'throw')) heldKeys = true;
        }
        deliver(listener, event as MessageEvent);
      };
      listeners.set(listener, wrapped);
      worker.addEventListener('message', wrapped);
    },
    removeEventListener(type: string, listener: MessageListener) {
      if (type !== 'message') {
        worker.removeEventListener(type, listener);
        return;
      }
      const wrapped = listeners.get(listener);
      if (wrapped) worker.removeEventListener('message', wrapped);
      listeners.delete(listener);
    },
  };

  return {
    endpoint,
    stop: () => {
      if (stopped) return;
      stopped = true;
      worker.terminate();
      const waiting = [...pending];
      pending.clear();
      for (const id of waiting) answerLocked(id);
      for (const id of [...saves.keys()]) settleSave(id);
    },
    stopped: () => stopped,
    mayHoldKeys: () => heldKeys || keyCalls.size > 0,
    savesSettled: async () => {
      await Promise.all([...saves.values()].map((save) => save.settled));
    },
  };
}

/** Starts a vault worker (the real one unless a test passes its own) behind a stoppable connection. */
export function connectVault(
  startWorker: () => StoppableWorker = () =>
    new Worker(new URL('./worker/vault.worker.ts', import.meta.url), { type: 'module', name: 'vault' }),
): VaultConnection {
  const { endpoint, stop, stopped, mayHoldKeys, savesSettled } = stoppableEndpoint(startWorker());
  return {
    client: wrap<VaultWorkerApi>(endpoint),
    stop,
    savesSettled,
    get stopped() {
      return stopped();
    },
    get mayHoldKeys() {
      return mayHoldKeys();
    },
  };
}
