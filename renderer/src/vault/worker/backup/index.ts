/**
 * The backup format, version 1 (docs/backup-format.md): run files, packs and
 * the chain that ties them. Shared by the vault worker (backup-service/) and
 * the command-line verifier; it knows nothing of the vault's database.
 */
export * from './constants';
export * from './errors';
export * from './folder';
export * from './names';
export * from './pack-writer';
export * from './recovery-tag';
export * from './run-file';
export * from './run-index';
export * from './set-reader';
export * from './state';
