import { describe, expect, it } from 'vitest';
import { hearingListing, tallyAnswers, type HearingFields, type HearingRecord } from '../../../renderer/src/vault';
import { edit, finalise, newVersioned } from '../../../renderer/src/vault/versions';
import { aggregateHearings, countedHearings } from '../../../renderer/src/observations/aggregate';
import { koetSarayHearing } from '../../fixtures/hearings';

function record(id: string, caseId: string, fields: HearingFields, finalised: boolean): HearingRecord {
  const hearing = newVersioned(fields);
  return { id, caseId, createdAt: 0, updatedAt: 0, hearing: finalised ? finalise(hearing, 'me', 1) : hearing };
}

function withCounsel(present: 'yes' | 'no' | 'partly'): HearingFields {
  const fields = koetSarayHearing();
  fields.accused[0]!.counsel.present = present;
  return fields;
}

describe('aggregates across hearings', () => {
  it('counts signed-off versions only, unless drafts are asked for', () => {
    const finalThenEdited = record('h3', 'c2', withCounsel('yes'), true);
    finalThenEdited.hearing = edit(finalThenEdited.hearing, withCounsel('no'));
    const records = [
      record('h1', 'c1', withCounsel('no'), true),
      record('h2', 'c1', withCounsel('partly'), false),
      finalThenEdited,
    ];

    const signedOff = countedHearings(records.map(hearingListing), false);
    expect(signedOff.draftsLeftOut).toBe(1);
    const aggregate = aggregateHearings(signedOff.counted);
    expect(aggregate).toMatchObject({ hearings: 2, cases: 2, withoutCounsel: 1, counselPartlyAbsent: 0 });

    const all = aggregateHearings(countedHearings(records.map(hearingListing), true).counted);
    expect(all).toMatchObject({ hearings: 3, cases: 2, withoutCounsel: 2, counselPartlyAbsent: 1 });
  });

  it('tallies every answer once, per accused, and never as Respected unless it was', () => {
    const fields = koetSarayHearing();
    fields.indicators = [
      { indicator: 'presence-and-counsel', accusedId: 'a1', answer: 'not-observed', note: '', evidence: [] },
      { indicator: 'presence-and-counsel', accusedId: 'a2', answer: 'unknown', note: '', evidence: [] },
      { indicator: 'presence-and-counsel', accusedId: 'a3', answer: 'respected', note: '', evidence: [] },
    ];
    const { tallies } = aggregateHearings(
      countedHearings([hearingListing(record('h', 'c', fields, true))], false).counted,
    );
    const row = tallies.find((tally) => tally.indicator === 'presence-and-counsel')!;
    expect(row.counts).toMatchObject({ respected: 1, 'not-observed': 1, unknown: 1 });
    expect(row.metShare).toBeCloseTo(1 / 3);
  });

  it('lists a hearing compactly: every answer kept as a code, counsel as the facts the counts need', () => {
    const fields = koetSarayHearing();
    fields.accused[0]!.counsel = { ...fields.accused[0]!.counsel, present: 'yes', kind: 'none' };
    const listing = hearingListing(record('h', 'c', fields, true));
    expect(tallyAnswers(listing.current)).toEqual(
      fields.indicators.map(({ indicator, answer }) => ({ indicator, answer })),
    );
    expect(listing.current).toMatchObject({ accused: fields.accused.length, withoutCounsel: true });
    expect(listing.latestFinal).toEqual(listing.current);
    expect(JSON.stringify(listing.current)).not.toContain(fields.indicators[0]!.note || 'no note');
  });
});
