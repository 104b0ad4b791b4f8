import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type {
  PdfPasswordMemory as Memory,
  PdfPasswordPrompting as Prompting,
} from '../../../renderer/src/documents/pdf-password';

// The app's pdfjs.ts on pdf.js's build for Node (mocks in place before the app's modules load below).
import '../../support/pdfjs-in-node';

const { openPdf } = await import('../../../renderer/src/documents/viewers/pdfjs');
const { pdfPasswordFlow } = await import('../../../renderer/src/documents/pdf-password/password-flow');

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));
/** The Khmer password of password-khmer-aes256.pdf (tests/fixtures/make-password-xfa-pdfs.mjs). */
const PASSWORD = 'ខ្មែរ-២០២៥';
const utf8 = (text: string) => new TextEncoder().encode(text);

/** A vault's memory of one password, in a variable: it records what it was asked and the bytes it was handed. */
function memoryHolding(initial: string | null) {
  let stored = initial === null ? null : utf8(initial);
  const calls: string[] = [];
  const handed: Uint8Array[] = [];
  const memory: Memory = {
    recall: () => {
      calls.push('recall');
      return Promise.resolve(stored && stored.slice());
    },
    remember: (password) => {
      calls.push('remember');
      handed.push(password);
      stored = password.slice();
      password.fill(0); // as the vault's memory does
      return Promise.resolve();
    },
    forget: () => {
      calls.push('forget');
      stored = null;
      return Promise.resolve();
    },
  };
  return { memory, calls, handed, stored: () => (stored ? new TextDecoder().decode(stored) : null) };
}

/** Opens the Khmer-password fixture through the flow; `answer` plays the user at each prompt. */
async function open(memory: Memory | undefined, answer: (prompting: Prompting, index: number) => void) {
  const prompts: string[] = [];
  const passwords = pdfPasswordFlow({
    memory,
    isCurrent: () => true,
    ask: (prompting) => {
      prompts.push(prompting.reason);
      answer(prompting, prompts.length - 1);
    },
  });
  const { promise, destroy } = openPdf(fixture('password-khmer-aes256.pdf'), passwords.onPassword);
  try {
    const document = await promise;
    return { prompts, pages: document.numPages, ...passwords.opened() };
  } catch (error) {
    passwords.dispose();
    return { prompts, error };
  } finally {
    await destroy();
  }
}

describe('a remembered PDF password', () => {
  it('is not kept unless the user asks, and is kept once it has opened the PDF when asked', async () => {
    const notAsked = memoryHolding(null);
    expect(await open(notAsked.memory, (prompting) => prompting.submit(PASSWORD, false))).toMatchObject({
      prompts: ['need'],
      unlocked: true,
    });
    expect(notAsked.calls).toEqual(['recall']);
    expect(notAsked.stored()).toBeNull();

    const asked = memoryHolding(null);
    // A wrong password with the box ticked is never remembered; the right one is, non-ASCII as typed.
    const answers = ['not the password', PASSWORD];
    expect(await open(asked.memory, (prompting, index) => prompting.submit(answers[index]!, true))).toMatchObject({
      prompts: ['need', 'incorrect'],
      unlocked: true,
    });
    expect(asked.calls).toEqual(['recall', 'remember']);
    expect(asked.stored()).toBe(PASSWORD);
    expect(asked.handed).toHaveLength(1);
  });

  it('opens the PDF next time without asking', async () => {
    const held = memoryHolding(PASSWORD);
    const opened = await open(held.memory, () => {
      throw new Error('asked for a password that is remembered');
    });
    expect(opened).toMatchObject({ prompts: [], unlocked: true, pages: 1 });
    expect(held.calls).toEqual(['recall']);
  });

  it('that no longer opens the PDF is forgotten, and the prompt comes back saying so', async () => {
    const held = memoryHolding('a password that was changed');
    const opened = await open(held.memory, (prompting) => prompting.submit(PASSWORD, false));
    expect(opened).toMatchObject({ prompts: ['remembered-failed'], unlocked: true });
    expect(held.calls).toEqual(['recall', 'forget']);
    expect(held.stored()).toBeNull();
  });

  it('is never recalled without a memory, and a cancelled prompt remembers nothing', async () => {
    expect(await open(undefined, (prompting) => prompting.submit(PASSWORD, true))).toMatchObject({
      prompts: ['need'],
      unlocked: true,
    });
    const held = memoryHolding(null);
    const cancelled = await open(held.memory, (prompting) => prompting.cancel());
    expect(cancelled.prompts).toEqual(['need']);
    expect(cancelled).toHaveProperty('error');
    expect(held.calls).toEqual(['recall']);
  });

  it('a PDF without a password asks nothing and recalls nothing', async () => {
    const held = memoryHolding(PASSWORD);
    const passwords = pdfPasswordFlow({ memory: held.memory, isCurrent: () => true, ask: () => undefined });
    const { promise, destroy } = openPdf(fixture('mission-letter-koet-saray-2025-07-17.pdf'), passwords.onPassword);
    await promise;
    await destroy();
    expect(passwords.opened()).toEqual({ unlocked: false });
    expect(held.calls).toEqual([]);
  });
});
