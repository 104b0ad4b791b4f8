import { readFile } from 'node:fs/promises';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { builtFile } from './require-build';

/**
 * Runs the built preload as Electron's sandboxed renderer does: one CommonJS
 * file whose `require` knows 'electron' (and a few Node built-ins the sandbox
 * allows, none of which the preload may use), with no Node globals beyond
 * what the sandbox gives.
 */
async function runPreload() {
  const code = await readFile(builtFile('dist-electron/preload.cjs'), 'utf8');
  const required: string[] = [];
  const exposed: { key: string; api: unknown }[] = [];
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => exposed.push({ key, api }),
    },
    ipcRenderer: {
      invoke: () => Promise.resolve(undefined),
      on: () => undefined,
      removeListener: () => undefined,
    },
  };
  const sandboxRequire = (name: string): unknown => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`the sandboxed preload may not require ${name}`);
  };
  const module = { exports: {} };
  const context = vm.createContext({ require: sandboxRequire, module, exports: module.exports });
  vm.runInContext(code, context, { filename: 'preload.cjs' });
  return { required, exposed };
}

describe('the built preload in a sandbox-like context', () => {
  it('requires only electron', async () => {
    const { required } = await runPreload();
    expect(new Set(required)).toEqual(new Set(['electron']));
  });

  it('exposes exactly one API, window.vaultHost, frozen and made of functions only', async () => {
    const { exposed } = await runPreload();
    expect(exposed.map((entry) => entry.key)).toEqual(['vaultHost']);
    const api = exposed[0]?.api as Record<string, unknown>;
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(api)) expect(typeof value, name).toBe('function');
  });
});
