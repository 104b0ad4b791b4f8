import { aggregateHearings, countedHearings } from '../../renderer/src/observations';
import { formFromFields, newAccused } from '../../renderer/src/observations/hearing-form';
import { INDICATORS } from '../../renderer/src/observations/indicators';
import {
  INDICATOR_ANSWERS,
  emptyCaseFields,
  emptyHearingFields,
  startVaultWorker,
  type HearingFields,
} from '../../renderer/src/vault';
import { medianMs, result, type Benchmark } from './harness';

const PASSPHRASE = 'orchid lantern 47 granite meadow';
const CASES = 20;
const HEARINGS = 1_000;

/** A full hearing: two accused, every right answered for each with a note (about 8 KiB as JSON). */
function hearing(index: number): HearingFields {
  const fields = emptyHearingFields(
    `2025-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + (index % 28)).padStart(2, '0')}`,
  );
  fields.court = `Provincial court ${index % 25}`;
  fields.accused = [newAccused(`a${index}-1`), newAccused(`a${index}-2`)].map((accused, position) => ({
    ...accused,
    name: `Accused ${index}.${position}`,
    counsel: { ...accused.counsel, present: index % 4 === position ? 'no' : 'yes' },
  }));
  fields.indicators = fields.accused
    .flatMap((accused) =>
      INDICATORS.map((indicator, position) => ({
        indicator: indicator.id,
        accusedId: indicator.individual ? accused.id : null,
        answer: INDICATOR_ANSWERS[(index + position) % INDICATOR_ANSWERS.length]!,
        note: `Observed at hearing ${index}: ${indicator.id} for ${accused.name}; the judge interrupted counsel twice.`,
        evidence: [],
      })),
    )
    .filter(
      (entry, position, all) =>
        all.findIndex((other) => other.indicator === entry.indicator && other.accusedId === entry.accusedId) ===
        position,
    );
  fields.monitorSummary = `Hearing ${index}: concerns about counsel and the vague offence.`.repeat(10);
  return fields;
}

/** Raw IndexedDB: one put of `value` in its own transaction (what a draft save would cost with no crypto). */
function rawPut(db: IDBDatabase, key: string, value: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const transaction = db.transaction('plain', 'readwrite');
    transaction.objectStore('plain').put(value, key);
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
  });
}

function openPlain(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open('hearings-bench-plain', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('plain');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function readAll(db: IDBDatabase): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const request = db.transaction('plain', 'readonly').objectStore('plain').getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/**
 * Trial observations: the cost of the draft kept at every pause in typing,
 * and of the aggregate view over 1,000 hearings after unlock. Baselines are
 * plain IndexedDB doing the same reads and writes of the same JSON, with no
 * encryption, validation or counting.
 */
export const hearingsBenchmark: Benchmark = {
  name: 'hearings',
  async run() {
    const vault = startVaultWorker();
    await vault.createVault(new TextEncoder().encode(PASSPHRASE));
    const caseIds: string[] = [];
    for (let index = 0; index < CASES; index++)
      caseIds.push((await vault.createCase({ ...emptyCaseFields(), title: `Monitored case ${index}` })).id);
    const plain = await openPlain();

    // A draft save of a full hearing form, as the form does it after a pause in typing.
    const form = formFromFields(hearing(0));
    const json = new TextEncoder().encode(JSON.stringify(form));
    const draftMs = await medianMs(50, () => vault.saveDraft(`case:${caseIds[0]}/hearing:new`, form));
    const plainDraftMs = await medianMs(50, () => rawPut(plain, 'draft', json));

    for (let index = 0; index < HEARINGS; index++) {
      const fields = hearing(index);
      const record = await vault.saveHearing(caseIds[index % CASES]!, null, fields);
      if (index % 10 !== 0) await vault.finaliseHearing(record.caseId, record.id);
      await rawPut(plain, record.id, new TextEncoder().encode(JSON.stringify(record)));
    }
    await vault.lock();
    await vault.unlock(new TextEncoder().encode(PASSPHRASE));

    let counted = 0;
    const aggregateMs = await medianMs(5, async () => {
      const { hearings } = await vault.listAllHearings();
      const aggregate = aggregateHearings(countedHearings(hearings, false).counted);
      counted = aggregate.hearings;
    });
    if (counted !== HEARINGS - HEARINGS / 10) throw new Error(`counted ${counted} hearings`);
    const plainReadMs = await medianMs(5, async () => {
      const rows = await readAll(plain);
      return rows.map((row) => JSON.parse(new TextDecoder().decode(row as Uint8Array)) as unknown);
    });
    plain.close();
    await vault.lock();

    return [
      result({
        name: `encrypted draft save of a full hearing form (${Math.round(json.byteLength / 1024)} KiB) / a plain IndexedDB put of the same JSON`,
        value: draftMs,
        baseline: plainDraftMs,
        unit: 'ms',
        goal: 'under 50 ms (a pause in typing)',
      }),
      result({
        name: `aggregate view over ${HEARINGS.toLocaleString('en')} hearings in ${CASES} cases after unlock (read, decrypt, validate, count) / plain IndexedDB read + JSON.parse of the same records`,
        value: aggregateMs,
        baseline: plainReadMs,
        unit: 'ms',
        goal: 'under 2 s',
      }),
    ];
  },
};
