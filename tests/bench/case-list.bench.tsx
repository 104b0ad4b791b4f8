import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { CaseList } from '../../renderer/src/app/cases/CaseList';
import '../../renderer/src/styles/app.css';
import type { CaseSummary } from '../../renderer/src/vault';
import { result, type Benchmark } from './harness';

function summaries(count: number): CaseSummary[] {
  return Array.from({ length: count }, (_, index) => ({
    id: index.toString(16).padStart(32, '0'),
    title: `Case ${index}: hearing of a land-rights defender`,
    references: [`KHM ${index}/2025`],
    status: 'on-trial',
    tags: ['art. 494'],
    archived: false,
    updatedAt: 1_700_000_000_000 + index,
  }));
}

function PlainList({ cases }: { cases: CaseSummary[] }) {
  return (
    <ul>
      {cases.map((entry) => (
        <li key={entry.id}>
          <button type="button">
            {entry.title} {entry.references.join(', ')}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Mounts `element`, then waits for the frame that paints it. */
async function timeToPaint(element: React.ReactElement): Promise<number> {
  const host = document.createElement('div');
  host.style.height = '800px';
  document.body.append(host);
  const root = createRoot(host);
  const start = performance.now();
  flushSync(() => root.render(element));
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const elapsed = performance.now() - start;
  root.unmount();
  host.remove();
  return elapsed;
}

export const caseListBenchmark: Benchmark = {
  name: 'case list',
  async run() {
    const cases = summaries(10_000);
    await timeToPaint(<PlainList cases={cases.slice(0, 100)} />); // warm up React
    const virtualised = await timeToPaint(<CaseList cases={cases} selectedId={null} onOpen={() => undefined} />);
    const plain = await timeToPaint(<PlainList cases={cases} />);
    return [
      result({
        name: 'first paint of the 10,000-case list (virtualised) / a plain list of the same 10,000 rows',
        value: virtualised,
        baseline: plain,
        unit: 'ms',
      }),
    ];
  },
};
