import { transferHandlers, type TransferHandler } from 'comlink';
import { isVaultError } from './crypto/errors';

type Thrown = { value: unknown };
type Serialized = { isError: boolean; value: unknown };

/**
 * Comlink sends only message, name and stack of a thrown Error. Vault errors
 * also carry a code (and a non-sensitive detail) the UI translates; anything
 * else becomes a generic failure without its message or stack: a parser's
 * message can quote the (decrypted) text it choked on.
 * The UI side needs no change: Comlink copies every serialised field onto
 * the Error it rethrows.
 */
export function installVaultErrorSerialization(): void {
  const base = transferHandlers.get('throw') as TransferHandler<Thrown, Serialized>;
  const handler: TransferHandler<Thrown, Serialized> = {
    canHandle: (value): value is Thrown => base.canHandle(value),
    serialize: ({ value }) => {
      if (isVaultError(value))
        return [
          {
            isError: true,
            value: { name: 'VaultError', message: value.message, code: value.code, detail: value.detail },
          },
          [],
        ];
      const kind = value instanceof Error ? value.name : typeof value;
      return [
        {
          isError: true,
          value: { name: 'Error', message: `Unexpected ${kind} in the vault worker.`, code: 'internal' },
        },
        [],
      ];
    },
    deserialize: (value) => base.deserialize(value),
  };
  transferHandlers.set('throw', handler);
}
