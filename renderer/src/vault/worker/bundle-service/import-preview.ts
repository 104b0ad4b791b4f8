import type { BundleImportPreview, BundleItemPreview, VaultWorkerApi } from '../../api';
import type { AnnotationRecord } from '../../model';
import { verifyCustodySegment } from '../bundle';
import { importRefusals } from '../bundle-import-rules';
import { VaultError } from '../crypto/errors';
import { bundleKindOf, type ReceiveContext } from '../record-kinds-bundle';
import type { VaultStore } from '../vault-store';
import { absentIfNotFound, recordHash, type BundleServices, type OpenImport, type RecordItemType } from './common';
import type { ImportStaging } from './import-staging';
import type { EarlierImportRecord, Receipts } from './receipts';

/**
 * What a bundle would do here, before anything is written: every record
 * compared with this vault's copy (new, same, update, conflict), named as
 * its kind names it, and refused where the import rules say it may not be
 * written (bundle-import-rules.ts).
 */
export function createImportPreview(services: BundleServices, staging: ImportStaging, receipts: Receipts) {
  const { session } = services;

  /**
   * What importing each record would do. new: not here. same: identical here,
   * or an older copy this vault already took. update: changed by the sender
   * only (this vault's copy is what it last took from the same signer).
   * conflict: anything else.
   */
  async function classify(
    store: VaultStore,
    open: OpenImport,
    previous: EarlierImportRecord[],
  ): Promise<BundleItemPreview[]> {
    const signer = open.manifest!.sender.signingKey;
    const history = new Map<string, { sha: string; signer: string; from: { name: string; status: string } }[]>();
    for (const entry of [...previous].sort((a, b) => a.importedAt - b.importedAt))
      for (const [id, sha] of Object.entries(entry.items)) {
        const list = history.get(id) ?? [];
        list.push({
          sha,
          signer: entry.signer.signingKey,
          from: { name: entry.signer.name, status: entry.signer.status },
        });
        history.set(id, list);
      }
    const annotationCache = new Map<string, Promise<AnnotationRecord[]>>();
    const context: ReceiveContext = {
      store,
      annotationsOf(caseId) {
        let cached = annotationCache.get(caseId);
        if (!cached) {
          cached = services.annotations
            .listAnnotations(caseId)
            .catch((error: unknown) => absentIfNotFound(error) ?? []);
          annotationCache.set(caseId, cached);
        }
        return cached;
      },
    };
    const items: BundleItemPreview[] = [];
    for (const [id, staged] of open.records) {
      const { spec } = bundleKindOf(staged.type);
      // The SHA-256 of this vault's current copy, in the bundle's encoding; null if absent.
      const current = await spec.current(context, staged.value, staged.caseId);
      const mine = current === undefined ? null : recordHash(current);
      const taken = history.get(id) ?? [];
      const last = taken.at(-1);
      // The hashes of every form this vault's copy could have travelled in (people withheld or not, whatever the
      // incoming copy does): an import may have taken it in any of them. Worked out only when needed.
      let forms: Set<string> | undefined;
      const heldAs = async (sha: string) => {
        if (sha === mine) return true;
        if (mine === null || !spec.heldForms) return false;
        forms ??= new Set(((await spec.heldForms(context, staged.value, staged.caseId)) ?? []).map(recordHash));
        return forms.has(sha);
      };
      const status =
        mine === null
          ? 'new'
          : mine === staged.sha256 || taken.some((entry) => entry.sha === staged.sha256)
            ? 'same'
            : last && last.signer === signer && (await heldAs(last.sha))
              ? 'update'
              : 'conflict';
      const label = spec.label(staged.value);
      const item: BundleItemPreview = { id, type: staged.type, caseId: staged.caseId, label, status };
      // Who wrote the copy that would change: the last import that brought exactly it, else this vault.
      if (status === 'update' || status === 'conflict') {
        let from: (typeof taken)[number]['from'] | null = null;
        for (const entry of [...taken].reverse())
          if (await heldAs(entry.sha)) {
            from = entry.from;
            break;
          }
        item.currentFrom = from;
      }
      items.push(item);
    }
    return items;
  }

  /** The previewed items, named for a decision: what documents they are on, and what may not be written. */
  async function describe(
    store: VaultStore,
    open: OpenImport,
    previous: EarlierImportRecord[],
    items: BundleItemPreview[],
    ownSigningKey: string,
  ): Promise<BundleItemPreview[]> {
    const refusals = await importRefusals({
      store,
      signer: open.manifest!.sender.signingKey,
      ownSigningKey,
      records: open.records,
      items,
      earlier: previous,
      casesMadeHere: async () => {
        // The first entry the log holds about a case says how it came: 'created' here, or 'imported'.
        const first = new Map<string, string>();
        for (const entry of (await store.readLog()).entries)
          if (entry.aboutDeletedCase === undefined && entry.caseId !== undefined && !first.has(entry.caseId))
            first.set(entry.caseId, entry.action);
        return new Set([...first].filter(([, action]) => action === 'created').map(([caseId]) => caseId));
      },
    });
    // How many of the bundle's items of each type are on each document.
    const onDocument = new Map<string, number>();
    const documentOf = (staged: { type: RecordItemType; value: unknown }) =>
      bundleKindOf(staged.type).spec.documentOf?.(staged.value);
    for (const staged of open.records.values()) {
      const documentId = documentOf(staged);
      if (documentId === undefined) continue;
      const key = `${staged.type}:${documentId}`;
      onDocument.set(key, (onDocument.get(key) ?? 0) + 1);
    }
    const about = (documentId: string, type: RecordItemType) => onDocument.get(`${type}:${documentId}`) ?? 0;
    // Items on documents this vault already holds are named by the document here.
    const namesHere = new Map<string, string | undefined>();
    for (const staged of open.records.values()) {
      const documentId = documentOf(staged);
      if (documentId === undefined) continue;
      if (open.records.has(`document:${documentId}`) || namesHere.has(documentId)) continue;
      const here = await store.find('document', staged.caseId, documentId).catch(() => undefined);
      namesHere.set(documentId, here?.name);
    }
    return items.map((item) => {
      const staged = open.records.get(item.id)!;
      const described: BundleItemPreview = {
        ...item,
        ...bundleKindOf(staged.type).spec.previewed?.(staged.value, about),
      };
      const documentId = documentOf(staged);
      if (documentId !== undefined) {
        described.documentId = documentId;
        const carried = open.records.get(`document:${documentId}`);
        const name = carried ? (carried.value as { name: string }).name : namesHere.get(documentId);
        if (name !== undefined) described.documentName = name;
      }
      const refusal = refusals.get(item.id);
      if (refusal) {
        described.status = 'refused';
        described.refusal = refusal;
      }
      return described;
    });
  }

  /** Every item classified and described against the vault as it is now. */
  async function assess(store: VaultStore, open: OpenImport, previous: EarlierImportRecord[]) {
    const own = await services.identity.api.getIdentity();
    return describe(store, open, previous, await classify(store, open, previous), own.signingKey);
  }

  /** Every document in the bundle: its bytes came and match its record, or this vault holds that content. */
  async function checkDocuments(store: VaultStore, open: OpenImport): Promise<void> {
    for (const staged of open.records.values()) {
      if (staged.type !== 'document') continue;
      const document = staged.value as { id: string; caseId: string; sha256: string; size: number };
      const blob = open.staged.get(document.id);
      if (blob) {
        if (blob.sha256 !== document.sha256 || blob.info.size !== document.size)
          throw new VaultError('bundle-refused', 'A document does not match its record.', 'item-invalid');
        continue;
      }
      const held = await store.find('document', document.caseId, document.id).catch(absentIfNotFound);
      if (held?.sha256 !== document.sha256)
        throw new VaultError('bundle-refused', 'A document arrived without its bytes.', 'item-invalid');
    }
  }

  async function previewImport(store: VaultStore, open: OpenImport): Promise<BundleImportPreview> {
    const manifest = open.manifest!;
    const own = await services.identity.api.getIdentity();
    const contacts = await services.identity.contacts();
    const contact = contacts.find((entry) => entry.signingKey === manifest.sender.signingKey);
    const signerStatus =
      manifest.sender.signingKey === own.signingKey
        ? 'self'
        : contact
          ? contact.verified
            ? 'verified'
            : 'unverified'
          : 'unknown';
    const previous = await receipts.previousImports(store);
    const seen = previous.find((entry) => entry.bundleId === manifest.bundleId);
    const items = await describe(store, open, previous, await classify(store, open, previous), own.signingKey);
    const custody = open.custodyLog ? verifyCustodySegment(open.custodyLog) : null;
    return {
      bundleId: manifest.bundleId,
      createdAt: manifest.createdAt,
      signer: {
        name: manifest.sender.name,
        signingKey: manifest.sender.signingKey,
        status: signerStatus,
        contactName: contact?.name ?? null,
        contactId: contact?.id ?? null,
      },
      recipients: manifest.recipients.length,
      alreadyImportedAt: seen?.importedAt ?? null,
      items,
      documentBytes: manifest.items
        .filter((item) => item.type === 'document-bytes')
        .reduce((sum, item) => sum + item.size, 0),
      custodyLog:
        custody === null
          ? null
          : custody.ok
            ? { ok: true, entries: custody.entries, redacted: custody.redacted }
            : { ok: false, reason: custody.reason },
    };
  }

  const api: Pick<VaultWorkerApi, 'finishBundleImport'> = {
    async finishBundleImport(importId) {
      const { store } = session();
      const open = staging.openImport(importId);
      return staging.inOrder(importId, open, async () => {
        await staging.receive(store, open, null);
        open.wipeKeys();
        await checkDocuments(store, open);
        open.preview = await previewImport(store, open);
        return open.preview;
      });
    },
  };

  /** Works the preview of a read import out again against the vault as it is now (another import may have
   * brought some of the same records meanwhile). */
  async function refresh(store: VaultStore, open: OpenImport): Promise<BundleImportPreview> {
    if (!open.preview) throw new VaultError('invalid-input', 'The bundle has not been read to its end yet.');
    open.preview = await previewImport(store, open);
    return open.preview;
  }

  return { api, assess, refresh };
}

export type ImportPreview = ReturnType<typeof createImportPreview>;
