import { z } from 'zod';

// Zod compiles fast parsers with `new Function`, which the app's CSP forbids
// (and reports even when zod catches the refusal). Interpret instead.
z.config({ jitless: true });

export { z };
