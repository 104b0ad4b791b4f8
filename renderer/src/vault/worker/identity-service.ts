import sodium from 'libsodium-wrappers-sumo';
import type { ContactView, IdentityView, VaultWorkerApi } from '../api';
import { z } from '../zod';
import {
  identityFingerprint,
  isBundleError,
  makeIdentityCard,
  newIdentityKeys,
  readIdentityCard,
  recipientKeyId,
  writeIdentityKeyFile,
  type IdentityKeys,
} from './bundle';
import { VaultError } from './crypto/errors';
import type { RecordOf } from './record-kinds';
import type { VaultStore } from './vault-store';
import { rowNames } from './row-ids';

type IdentityApi = Pick<
  VaultWorkerApi,
  'getIdentity' | 'renameIdentity' | 'identityCard' | 'listContacts' | 'addContact' | 'updateContact' | 'removeContact'
>;

export const IDENTITY_ROW = 'identity';
type StoredContact = RecordOf<'contact'>;
type StoredIdentity = RecordOf<'identity'>;

/**
 * The identity's keys, for one operation. The secret keys are the stored
 * record's own bytes (each read opens a new copy, never text): wiping the
 * result (wipeIdentityKeys) wipes them. Nothing here keeps them: no
 * identity key outlives the call that needed it, so a lock has none to wipe.
 */
function keysOf(stored: StoredIdentity): IdentityKeys {
  const { signSecretKey, boxSecretKey } = stored;
  return {
    signSecretKey,
    signPublicKey: sodium.crypto_sign_ed25519_sk_to_pk(signSecretKey),
    boxSecretKey,
    boxPublicKey: sodium.crypto_scalarmult_base(boxSecretKey),
  };
}

export function contactView(contact: StoredContact): ContactView {
  const keys = {
    signPublicKey: sodium.from_hex(contact.signingKey),
    boxPublicKey: sodium.from_hex(contact.encryptionKey),
  };
  return { ...contact, fingerprint: identityFingerprint(keys), keyId: recipientKeyId(keys.boxPublicKey) };
}

/**
 * The vault's own identity (signing and encryption key pairs, sealed like
 * every vault record, made with the vault or at the first unlock of an older
 * one) and its contacts: other vaults' public keys, each verified or not.
 */
export function createIdentityService(session: () => { store: VaultStore; actor: string }) {
  /** The identity row to write with a new vault. */
  async function newIdentityRow(store: VaultStore) {
    const keys = newIdentityKeys();
    try {
      // Sealed as bytes beside the other fields (key-bytes.ts): the secret keys never become text.
      const row = await store.seal('identity', null, IDENTITY_ROW, {
        name: '',
        signSecretKey: keys.signSecretKey,
        boxSecretKey: keys.boxSecretKey,
        createdAt: Date.now(),
      });
      return { row, keyId: recipientKeyId(keys.boxPublicKey) };
    } finally {
      sodium.memzero(keys.signSecretKey);
      sodium.memzero(keys.boxSecretKey);
    }
  }

  /** The first use of an older vault makes its identity once, however many calls arrive together. */
  let creating: Promise<unknown> | null = null;

  async function readStored(store: VaultStore): Promise<StoredIdentity> {
    if (creating) await creating;
    const stored = await store.find('identity', null, IDENTITY_ROW);
    if (stored !== undefined) return stored;
    // A vault made before identities existed gets one now, logged like any creation.
    if (!creating) {
      // Set before any await: a second call arriving meanwhile waits for this one.
      creating = newIdentityRow(store)
        .then(({ row, keyId }) =>
          store.commit({ put: [row], log: [{ action: 'created', targetKind: 'identity', targetId: keyId }] }),
        )
        .finally(() => {
          creating = null;
        });
    }
    await creating;
    return readStored(store);
  }

  /** The identity's keys for one operation; the caller wipes them (wipeIdentityKeys). */
  async function identityKeys(store: VaultStore): Promise<IdentityKeys & { name: string }> {
    const stored = await readStored(store);
    return { ...keysOf(stored), name: stored.name };
  }

  async function view(store: VaultStore): Promise<IdentityView> {
    const stored = await readStored(store);
    const keys = keysOf(stored);
    sodium.memzero(keys.signSecretKey);
    sodium.memzero(keys.boxSecretKey);
    return {
      name: stored.name,
      signingKey: sodium.to_hex(keys.signPublicKey),
      encryptionKey: sodium.to_hex(keys.boxPublicKey),
      fingerprint: identityFingerprint(keys),
      keyId: recipientKeyId(keys.boxPublicKey),
      actor: session().actor,
      createdAt: stored.createdAt,
    };
  }

  async function contacts(store: VaultStore): Promise<StoredContact[]> {
    return (await store.list('contact', null)).map(({ value }) => value);
  }

  async function loadContact(store: VaultStore, id: string): Promise<StoredContact> {
    const found = (await contacts(store)).find((contact) => contact.id === id);
    if (!found) throw new VaultError('not-found', 'This contact does not exist.');
    return found;
  }

  async function writeContact(store: VaultStore, contact: StoredContact, action: 'created' | 'edited' | 'verified') {
    await store.commit({
      put: [await store.seal('contact', null, contact.id, contact)],
      log: [{ action, targetKind: 'contact', targetId: contact.id }],
    });
    return contactView(contact);
  }

  const api: IdentityApi = {
    async getIdentity() {
      return view(session().store);
    },

    async renameIdentity(name) {
      const { store } = session();
      const parsed = z.string().trim().max(200).safeParse(name);
      if (!parsed.success) throw new VaultError('invalid-input', 'A name is at most 200 characters.');
      const current = await view(store);
      const stored = await readStored(store);
      let row: Awaited<ReturnType<VaultStore['seal']>>;
      try {
        row = await store.seal('identity', null, IDENTITY_ROW, { ...stored, name: parsed.data });
      } finally {
        sodium.memzero(stored.signSecretKey);
        sodium.memzero(stored.boxSecretKey);
      }
      await store.commit({
        put: [row],
        log: [{ action: 'edited', targetKind: 'identity', targetId: current.keyId }],
      });
      return view(store);
    },

    async identityCard() {
      const { store } = session();
      const keys = await identityKeys(store);
      try {
        if (keys.name.trim() === '')
          throw new VaultError('invalid-input', 'Give your identity a name before sharing it.');
        return JSON.stringify(makeIdentityCard(keys.name, keys), null, 2);
      } finally {
        sodium.memzero(keys.signSecretKey);
        sodium.memzero(keys.boxSecretKey);
      }
    },

    async listContacts() {
      const list = await contacts(session().store);
      return list.map(contactView).sort((a, b) => a.name.localeCompare(b.name));
    },

    async addContact(cardText) {
      const { store } = session();
      let card: ReturnType<typeof readIdentityCard>;
      try {
        card = readIdentityCard(cardText);
      } catch (error) {
        if (isBundleError(error))
          throw new VaultError('invalid-input', 'This file is not a valid identity card.', 'card');
        throw error;
      }
      const own = await view(store);
      if (card.signingKey === own.signingKey || card.encryptionKey === own.encryptionKey)
        throw new VaultError('invalid-input', 'This is your own identity card.', 'own-card');
      const id = store.blind(rowNames.contact(card.signingKey));
      const existing = (await contacts(store)).find((contact) => contact.id === id);
      if (existing) {
        // Same signing key with another encryption key: never merged silently.
        if (existing.encryptionKey !== card.encryptionKey)
          throw new VaultError(
            'invalid-input',
            'A contact with this signing key has a different encryption key.',
            'key-conflict',
          );
        return contactView(existing);
      }
      return writeContact(
        store,
        {
          id,
          name: card.name,
          signingKey: card.signingKey,
          encryptionKey: card.encryptionKey,
          verified: false,
          verifiedAt: null,
          addedAt: Date.now(),
        },
        'created',
      );
    },

    async updateContact(id, changes) {
      const { store } = session();
      const contact = await loadContact(store, id);
      const parsed = z
        .strictObject({ name: z.string().trim().min(1).max(200).optional(), verified: z.boolean().optional() })
        .safeParse(changes);
      if (!parsed.success) throw new VaultError('invalid-input', 'Invalid contact change.');
      const { name, verified } = parsed.data;
      const next: StoredContact = {
        ...contact,
        name: name ?? contact.name,
        verified: verified ?? contact.verified,
        verifiedAt: verified === undefined ? contact.verifiedAt : verified ? Date.now() : null,
      };
      return writeContact(store, next, verified === true && !contact.verified ? 'verified' : 'edited');
    },

    async removeContact(id) {
      const { store } = session();
      await loadContact(store, id);
      await store.commit({
        delete: [{ table: 'contact', caseId: null, id }],
        log: [{ action: 'deleted', targetKind: 'contact', targetId: id }],
      });
    },
  };

  return {
    api,
    newIdentityRow,
    identityKeys,
    contacts: async () => (await contacts(session().store)).map(contactView),
  };
}

export { writeIdentityKeyFile };
