import { describe, expect, it } from 'vitest';
import { runSelfTest } from '../../../renderer/src/vault/worker/self-test';

describe('crypto engine self-test', () => {
  it('passes on the real libsodium sumo build', async () => {
    const health = await runSelfTest();
    expect(health.failures).toEqual([]);
    expect(health.ok).toBe(true);
    expect(health.sodiumVersion).toMatch(/^1\.0\.\d+$/);
  });
});
