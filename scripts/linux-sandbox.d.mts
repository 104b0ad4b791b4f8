/** Types of linux-sandbox.mjs (a plain script so `npm start` runs it without a build). */
export declare const USERNS_SWITCHES: Readonly<{
  apparmorRestrict: string;
  debianClone: string;
  maxUserNamespaces: string;
}>;

export declare function usernsBlockedBy(readFile: (path: string) => string): 'apparmor' | 'kernel' | null;

export declare function isSuidRoot(stats: { uid: number; mode: number }): boolean;

export declare function checkLinuxSandbox(options: {
  platform: string;
  uid: number | undefined;
  electronBinary: string;
  chromeSandbox: string;
  readFile?: (path: string) => string;
  stat?: (path: string) => { uid: number; mode: number };
}): { ok: true } | { ok: false; message: string };
