import { readFileSync } from 'node:fs';
import { axeOn } from '../support/axe';
import Papa from 'papaparse';
import { expect, test } from './fixtures';
import {
  createVault,
  expectLocked,
  leakedMarkers,
  newCase,
  newCaseWith,
  openCaseTab,
  rawOriginDump,
  selectText,
  unlock,
} from './vault-helpers';

const LETTER = 'mission-letter-koet-saray-2025-07-17.txt';

const MARKERS = {
  caseTitle: 'Zqcase-title Koet Saray incitement case',
  annotationNote: 'Zqannotation-note sentence as the government reports it',
  eventDescription: 'Zqevent-description arrested after Facebook posts',
  counselNote: 'Zqcounsel-note lawyer arrived after the opening',
  indicatorNote: 'Zqindicator-note hearing opened without defence counsel',
  summary: 'Zqmonitor-summary counsel absence and vague offence',
};

/** The text of every page of a PDF, read with pdf.js in Node. */
async function pdfText(bytes: Buffer): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const loading = pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false });
  const pdf = await loading.promise;
  const pages: string[] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const content = await (await pdf.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await loading.destroy();
  return pages.join('\n');
}

const squeeze = (text: string) => text.replace(/\s+/g, '');

test('a monitor records a Koet Saray hearing; an auto-lock mid-form loses nothing; timeline and report follow', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.clock.install();
  await createVault(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Lock automatically').fill('1');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('button', { name: 'Cases' }).click();

  // A source document and a quote from it, for the indicators to cite.
  await newCaseWith(page, MARKERS.caseTitle, [LETTER]);
  await page.getByRole('button', { name: `Open ${LETTER}` }).click();
  const view = page.getByRole('region', { name: `Viewing ${LETTER}` });
  const text = view.getByLabel(LETTER);
  const whole = await text.innerText();
  const sentence = 'sentenced to four (4) years of imprisonment and fined 2,000,000 (two million) Cambodian riels';
  const at = whole.indexOf(sentence);
  expect(at).toBeGreaterThan(0);
  await selectText(text, at, at + sentence.length);
  await view
    .getByRole('toolbar', { name: 'Annotate the selection' })
    .getByRole('button', { name: 'Note', exact: true })
    // The toolbar floats by the selection, which may sit outside the test window's viewport.
    .dispatchEvent('click');
  const annotationEditor = view.getByRole('form', { name: 'Edit annotation' });
  await annotationEditor.getByLabel('Note').fill(MARKERS.annotationNote);
  await annotationEditor.getByRole('button', { name: 'Save annotation' }).click();
  await expect(view.getByText(MARKERS.annotationNote)).toBeVisible();
  await page.getByRole('button', { name: 'Back', exact: true }).click();

  // The arrest, with an approximate date, on the timeline.
  await openCaseTab(page, 'Timeline');
  await page.getByRole('button', { name: 'Add event' }).click();
  const eventForm = page.getByRole('form', { name: 'New timeline event' });
  await eventForm.getByLabel('Event').selectOption({ label: 'Arrest' });
  await eventForm.getByLabel('Date').fill('2024-03');
  await eventForm.getByLabel('Whom it concerns').fill('Koet Saray');
  await eventForm.getByLabel('Description').fill(MARKERS.eventDescription);
  await eventForm.getByRole('button', { name: 'Save event' }).click();
  await expect(page.getByText('March 2024 — Arrest: Koet Saray')).toBeVisible();

  // The hearing, keyboard-first, sections in any order.
  await openCaseTab(page, 'Hearings');
  await page.getByRole('button', { name: 'New hearing' }).click();
  // The form's heading names the case it belongs to.
  const form = page.getByRole('form', { name: `${MARKERS.caseTitle} — new hearing` });
  await expect(form.getByRole('heading', { level: 2 })).toHaveText(`${MARKERS.caseTitle} — new hearing`);
  await form.getByRole('button', { name: 'Accused, charges and verdict' }).click();
  await form.getByRole('button', { name: 'Add accused' }).click();
  await form.getByLabel('Name or pseudonym').fill('Koet Saray');
  await form
    .getByLabel('Affiliation (e.g. defender, journalist, party member)')
    .fill('defender, social media commentator');
  await form.getByLabel('Custody status').selectOption({ label: 'Detained' });
  await form.getByLabel('Defence lawyer present').selectOption({ label: 'Absent for part of the hearing' });
  await form.getByLabel('Kind of counsel').selectOption({ label: 'Chosen' });
  await form.getByLabel('Notes on counsel').fill(MARKERS.counselNote);
  await form.getByRole('button', { name: 'Add charge' }).click();
  await form.getByLabel('Legal provision').fill('Criminal Code art. 495');
  await expect(form.getByLabel('Offence as charged')).toHaveValue(
    'incitement to commit a felony or disturb social security',
  );
  await form.getByRole('button', { name: 'Add charge' }).click();
  await form.getByLabel('Legal provision').nth(1).fill('Criminal Code art. 494');
  await form.getByRole('button', { name: 'Record verdict' }).first().click();
  await form.getByLabel('Prison term: years').fill('4');
  await form.getByLabel('Fine amount').fill('2000000');
  await expect(form.getByLabel('Fine currency')).toHaveValue('KHR');
  await expect(form.getByText('2,000,000 riels', { exact: true })).toBeVisible();

  await form.getByRole('button', { name: 'Hearing', exact: true }).click();
  await form.getByLabel('Date', { exact: true }).fill('2025-07-17');
  await form.getByLabel('Scheduled start').fill('08:00');
  await form.getByLabel('Actual start').fill('08:40');
  await form.getByLabel('Stage').selectOption({ label: 'Verdict' });
  await form.getByLabel('Court', { exact: true }).fill('Phnom Penh Municipal Court');

  await form.getByLabel('Answer: Presence and defence counsel — Koet Saray').selectOption({ label: 'Not respected' });
  await form.getByLabel('What was seen: Presence and defence counsel — Koet Saray').fill(MARKERS.indicatorNote);
  // Evidence: search the case's quotes and documents, pick one; it shows as a chip with its whole name.
  const evidence = form.getByRole('combobox', { name: 'Evidence: Presence and defence counsel — Koet Saray' });
  await evidence.fill('four (4)');
  const quoteOption = page.getByRole('option', { name: /four \(4\) years/ });
  await expect(quoteOption).toHaveText(new RegExp(`${LETTER.replaceAll('.', '\\.')}, p\\. 1$`));
  await quoteOption.click();
  // The list stays open for a further pick; Escape closes it.
  await evidence.press('Escape');
  const chips = form.getByRole('grid', { name: 'Evidence cited: Presence and defence counsel — Koet Saray' });
  await expect(chips.getByRole('row')).toHaveCount(1);
  await expect(chips.getByRole('row').first()).toContainText(/four \(4\) years.*, p\. 1$/);
  await expect(evidence).toHaveValue('');
  await form.getByLabel('Answer: Public hearing').selectOption({ label: 'Respected' });
  await form.getByLabel('Answer: Legality of the offence — Koet Saray').selectOption({ label: 'Concern' });
  await form.getByLabel("Monitor's summary of concerns").fill(MARKERS.summary);
  await expect(form.getByText('Draft saved (encrypted).').or(form.getByText('Unsaved changes'))).toBeVisible();

  // Every control is labelled and readable: axe (colour contrast included) finds nothing on the form.
  const axe = await axeOn(page).include('form.hearing-editor').analyze();
  expect(axe.violations.map((violation) => `${violation.id}: ${violation.nodes.length}`)).toEqual([]);

  // The vault locks itself while the form is unsaved…
  await page.clock.fastForward('00:30');
  await expect(page.getByRole('button', { name: 'Lock vault' })).toBeVisible();
  await page.clock.fastForward('00:35');
  await expectLocked(page);
  await expect(page.getByText(MARKERS.counselNote)).toHaveCount(0);

  // …and unlocking returns to the form with everything typed.
  await unlock(page);
  const restored = page.getByRole('form', { name: `${MARKERS.caseTitle} — new hearing` });
  await expect(restored.getByText('Restored your unsaved draft.')).toBeVisible();
  await expect(restored.getByLabel('Date', { exact: true })).toHaveValue('2025-07-17');
  await expect(restored.getByLabel('Notes on counsel')).toHaveValue(MARKERS.counselNote);
  await expect(restored.getByLabel('Prison term: years')).toHaveValue('4');
  await expect(restored.getByLabel('Fine amount')).toHaveValue('2000000');
  await expect(restored.getByLabel('Answer: Presence and defence counsel — Koet Saray')).toHaveValue('not-respected');
  await expect(
    restored.getByRole('grid', { name: 'Evidence cited: Presence and defence counsel — Koet Saray' }).getByRole('row'),
  ).toHaveCount(1);
  await expect(restored.getByLabel("Monitor's summary of concerns")).toHaveValue(MARKERS.summary);

  // Sign it off: version 1 joins the history; an edit afterwards starts version 2.
  await restored.getByRole('button', { name: 'Sign off', exact: true }).click();
  await restored.getByRole('button', { name: 'Sign off version 1' }).click();
  const hearing = page.getByRole('form', {
    name: `${MARKERS.caseTitle} — hearing of July 17, 2025, Phnom Penh Municipal Court`,
  });
  await expect(hearing.getByText('Version 1, signed off', { exact: true })).toBeVisible();
  // Signed off by a name, not by a bare key id.
  await expect(hearing.getByText(/^Version 1, signed off .+ by /)).toBeVisible();
  await expect(hearing.getByText(/by [0-9a-f]{16}/)).toHaveCount(0);
  await hearing.getByLabel('Actual end').fill('10:15');
  await hearing.getByRole('button', { name: 'Save hearing' }).click();
  await expect(hearing.getByText('Version 2, draft')).toBeVisible();
  await hearing.getByRole('button', { name: 'Back to the case' }).click();

  // The hearing is on the timeline by itself; pre-trial detention is computed from approximate dates.
  await openCaseTab(page, 'Timeline');
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByText('July 17, 2025 — Verdict: Koet Saray', { exact: true })).toBeVisible();
  await expect(
    timeline.getByText('Koet Saray: 473–503 days in pre-trial detention (March 2024 to Verdict on July 17, 2025)'),
  ).toBeVisible();
  await openCaseTab(page, 'Hearings');
  await expect(
    page.getByRole('region', { name: 'Hearings' }).getByText('Draft of version 2 (version 1 signed off)'),
  ).toBeVisible();

  // The report, printed to PDF as Chromium prints it, holds the indicators and the quote with its hash.
  await page.getByRole('button', { name: 'Case report' }).click();
  const report = page.getByRole('article', { name: MARKERS.caseTitle });
  await expect(report.getByRole('heading', { name: 'Annotated quotes' })).toBeVisible();
  const sha256 = (await report.locator('.hash').first().innerText()).replace('SHA-256: ', '');
  expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  // Printing writes a plaintext file: the notice stands beside the button.
  await expect(report.getByText('This file will not be encrypted')).toBeVisible();
  const reportAxe = await axeOn(page).include('article.case-report').analyze();
  expect(reportAxe.violations.map((violation) => `${violation.id}: ${violation.nodes.length}`)).toEqual([]);
  const pdf = await pdfText(await page.pdf({ format: 'A4', printBackground: true }));
  for (const expected of [
    'Presence and defence counsel — Koet Saray',
    'Not respected',
    MARKERS.indicatorNote,
    'Legality of the offence — Koet Saray',
    'Concern',
    'Public hearing',
    'Respected',
    'Criminal Code art. 495',
    '4 years in prison',
    'fine of 2,000,000 riels',
    sentence,
    'p. 1',
    sha256,
    'Version 1, signed off',
    'July 17, 2025',
  ])
    expect(squeeze(pdf), expected).toContain(squeeze(expected));
  expect(pdf).not.toContain('Back to the case');
  expect(pdf).not.toMatch(/by [0-9a-f]{16}/);

  // The report reads in Khmer too (every label from the catalog, rendered with the bundled font).
  await page.getByLabel('Language').selectOption('km');
  await expect(page.getByRole('heading', { name: 'សម្រង់ដែលបានចំណារ' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'មិនត្រូវបានគោរព' })).toBeVisible();
  await page.getByLabel('ភាសា').selectOption('en');

  // Nothing typed is readable in the browser's storage.
  const leaks = leakedMarkers(await rawOriginDump(page), [
    ...Object.values(MARKERS),
    'Koet Saray',
    'Phnom Penh Municipal Court',
    'social media commentator',
  ]);
  expect(leaks).toEqual([]);
});

/** Twenty hearings in three cases, each answer chosen by a rule the test can count by. */
const SCRIPT = Array.from({ length: 20 }, (_, index) => ({
  caseIndex: index % 3,
  date: `2025-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + index).padStart(2, '0')}`,
  counsel: index % 4 === 0 ? 'Absent' : index % 4 === 1 ? 'Absent for part of the hearing' : 'Present',
  presence: ['Respected', 'Not respected', 'Not observed', 'Unknown', 'Not applicable'][index % 5]!,
  publicHearing: index % 2 === 0 ? 'Respected' : 'Concern',
  // The last one stays a draft: not counted until signed off.
  finalise: index !== 19,
}));

test('the aggregate view and its CSV count a scripted set of 20 hearings right', async ({ page }) => {
  // Twenty hearings typed in take 1–1.5 min here; a CI machine once took more than 4.
  test.setTimeout(420_000);
  await createVault(page);
  const caseTitles = ['Aggregate case A', 'Aggregate case B', 'Aggregate case C'];
  for (const title of caseTitles) await newCase(page, title);

  for (const entry of SCRIPT) {
    await page.getByRole('button', { name: 'Cases' }).click();
    await page.getByRole('button', { name: caseTitles[entry.caseIndex]! }).click();
    await openCaseTab(page, 'Hearings');
    await page.getByRole('button', { name: 'New hearing' }).click();
    const form = page.getByRole('form', { name: 'New hearing' });
    await form.getByLabel('Date', { exact: true }).fill(entry.date);
    await form.getByRole('button', { name: 'Add accused' }).click();
    await form.getByLabel('Name or pseudonym').fill(`Accused ${entry.date}`);
    await form.getByLabel('Defence lawyer present').selectOption({ label: entry.counsel });
    await form.getByLabel(/^Answer: Presence and defence counsel/).selectOption({ label: entry.presence });
    await form.getByLabel('Answer: Public hearing').selectOption({ label: entry.publicHearing });
    const saved = page.getByRole('form', { name: /— hearing of / });
    if (entry.finalise) {
      await form.getByRole('button', { name: 'Sign off', exact: true }).click();
      await form.getByRole('button', { name: 'Sign off version 1' }).click();
      await expect(saved.getByText('Version 1, signed off', { exact: true })).toBeVisible();
    } else {
      await form.getByRole('button', { name: 'Save hearing' }).click();
      await expect(saved.getByText('Version 1, draft')).toBeVisible();
    }
  }

  await page.getByRole('button', { name: 'Trial monitoring' }).click();
  const panel = page.getByRole('region', { name: 'Trial monitoring across cases' });
  const counted = SCRIPT.filter((entry) => entry.finalise);
  await expect(panel.getByText(`${counted.length} hearings in 3 cases`)).toBeVisible();
  await expect(panel.getByText('1 draft hearing is not counted until it is signed off.')).toBeVisible();

  const download = page.waitForEvent('download');
  await expect(panel.getByText('This file will not be encrypted')).toBeVisible();
  await panel.getByRole('button', { name: 'Export counts (CSV)' }).click();
  const counts = Papa.parse<Record<string, string>>(readFileSync(await (await download).path(), 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data;
  const row = (id: string) => counts.find((entry) => entry.indicator_id === id)!;
  const expected = (field: 'presence' | 'publicHearing', answer: string) =>
    String(counted.filter((entry) => entry[field] === answer).length);
  for (const answer of ['Respected', 'Not respected', 'Not observed', 'Unknown', 'Not applicable', 'Concern'])
    expect(row('presence-and-counsel')[answer], `presence ${answer}`).toBe(expected('presence', answer));
  for (const answer of ['Respected', 'Concern', 'Not respected'])
    expect(row('public-hearing')[answer], `public ${answer}`).toBe(expected('publicHearing', answer));
  // Not observed and Unknown stay in the denominator and never count as respected.
  const applicable = counted.filter((entry) => entry.presence !== 'Not applicable').length;
  expect(row('presence-and-counsel').Applicable).toBe(String(applicable));
  expect(Number(row('presence-and-counsel')['Share respected'])).toBeCloseTo(
    counted.filter((entry) => entry.presence === 'Respected').length / applicable,
    4,
  );
  expect(row('undue-delay').Respected).toBe('0');

  const hearingsDownload = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Export hearings (CSV)' }).click();
  const hearings = Papa.parse<Record<string, string>>(readFileSync(await (await hearingsDownload).path(), 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data;
  expect(hearings).toHaveLength(counted.length);
  expect(new Set(hearings.map((entry) => entry.Case))).toEqual(new Set(caseTitles));
  const withoutCounsel = counted.filter((entry) => entry.counsel === 'Absent').length;
  expect(hearings.filter((entry) => entry['Without counsel'] === 'yes')).toHaveLength(withoutCounsel);
  expect(hearings.filter((entry) => entry['Counsel absent for part'] === 'yes')).toHaveLength(
    counted.filter((entry) => entry.counsel === 'Absent for part of the hearing').length,
  );
  await expect(
    panel.getByRole('term').filter({ hasText: 'Hearings where an accused had no defence lawyer' }).locator('+ dd'),
  ).toHaveText(String(withoutCounsel));

  // Drafts can be included on request.
  await panel.getByLabel('Include drafts not yet signed off').check();
  await expect(panel.getByText('20 hearings in 3 cases')).toBeVisible();
});

test('Back from a hearing returns where it was opened: Trial monitoring, the case timeline', async ({ page }) => {
  test.setTimeout(120_000);
  await createVault(page);
  await newCase(page, 'Origin case');
  await openCaseTab(page, 'Hearings');
  await page.getByRole('button', { name: 'New hearing' }).click();
  const form = page.getByRole('form', { name: 'Origin case — new hearing' });
  await form.getByLabel('Date', { exact: true }).fill('2025-07-17');
  await form.getByRole('button', { name: 'Sign off', exact: true }).click();
  await form.getByRole('button', { name: 'Sign off version 1' }).click();
  const hearing = page.getByRole('form', { name: /^Origin case — hearing of July 17, 2025/ });
  await expect(hearing.getByText('Version 1, signed off', { exact: true })).toBeVisible();

  // From Trial monitoring's list of the hearings counted, and back there (Alt+←, then the Back button).
  const rail = page.getByRole('navigation', { name: /.+/ }).first();
  await rail.getByRole('button', { name: 'Trial monitoring' }).click();
  const panel = page.getByRole('region', { name: 'Trial monitoring across cases' });
  const counted = panel.getByRole('table', { name: 'Hearings counted' });
  await expect(counted.getByRole('row', { name: /Origin case/ })).toBeVisible();
  await counted.getByRole('button', { name: /Hearing of July 17, 2025/ }).click();
  await expect(hearing).toBeVisible();
  // The rail still shows where the hearing was opened from.
  await expect(rail.getByRole('button', { name: 'Trial monitoring' })).toHaveAttribute('aria-current', 'page');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(panel).toBeVisible();
  await expect(hearing).toHaveCount(0);
  await counted.getByRole('button', { name: /Hearing of July 17, 2025/ }).click();
  // Back names where it leads: not "Back to the case", since it was not opened from the case.
  await expect(hearing.getByRole('button', { name: 'Back to the case' })).toHaveCount(0);
  await hearing.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(panel).toBeVisible();

  // From the case's Timeline tab, back to that tab (not the Hearings tab).
  await rail.getByRole('button', { name: 'Cases' }).click();
  await page.getByRole('button', { name: 'Origin case' }).click();
  await openCaseTab(page, 'Timeline');
  await page.getByRole('button', { name: /^Open hearing/ }).click();
  await expect(hearing).toBeVisible();
  await hearing.getByRole('button', { name: 'Back to the case' }).click();
  await expect(page.getByRole('tab', { name: 'Timeline' })).toHaveAttribute('aria-selected', 'true');
});

test('Buddhist Era years, and deleting a hearing from its "More actions" menu after a confirm', async ({ page }) => {
  test.setTimeout(120_000);
  await createVault(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Show years in the Buddhist Era').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('button', { name: 'Cases' }).click();
  await newCase(page, 'Era case');

  await openCaseTab(page, 'Hearings');
  await page.getByRole('button', { name: 'New hearing' }).click();
  const form = page.getByRole('form', { name: 'Era case — new hearing' });
  // Nothing stored yet: nothing to delete, so no menu.
  await expect(form.getByRole('button', { name: 'More actions for this hearing' })).toHaveCount(0);
  await form.getByLabel('Date', { exact: true }).fill('2026-03-05');
  await expect(form.getByText('March 5, 2569 BE.')).toBeVisible();
  await form.getByRole('button', { name: 'Save hearing' }).click();
  const saved = page.getByRole('form', { name: /^Era case — hearing of March 5, 2569 BE/ });
  await expect(saved.getByText('Version 1, draft')).toBeVisible();

  await saved.getByRole('button', { name: 'Back to the case' }).click();
  await openCaseTab(page, 'Timeline');
  await expect(page.getByText(/^March 5, 2569 BE — /)).toBeVisible();
  await openCaseTab(page, 'Hearings');
  await page.getByRole('button', { name: /Hearing of March 5, 2569 BE/ }).click();

  // Delete waits in the overflow menu and asks first; Cancel keeps the hearing.
  const open = page.getByRole('form', { name: /^Era case — hearing of / });
  await open.getByRole('button', { name: 'More actions for this hearing' }).click();
  await page.getByRole('menuitem', { name: 'Delete hearing' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete this hearing?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(open).toBeVisible();
  await open.getByRole('button', { name: 'More actions for this hearing' }).click();
  await page.getByRole('menuitem', { name: 'Delete hearing' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete this hearing' }).click();
  await expect(open).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Era case', exact: true })).toBeVisible();
  await openCaseTab(page, 'Hearings');
  await expect(page.getByText('No hearings recorded yet.')).toBeVisible();
});
