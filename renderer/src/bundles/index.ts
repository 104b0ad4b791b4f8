export { ContactsPanel, VerificationBadge } from './ContactsPanel';
export { ExchangePanel } from './ExchangePanel';
export { Fingerprint } from './Fingerprint';
export { IdentityPanel } from './IdentityPanel';
export { ItemOriginNote } from './ItemOriginNote';
export { OpenBundle } from './OpenBundle';
export { SendBundle } from './SendBundle';
export { readBundleFile } from './read-bundle';
export { writeBundleExport } from './write-bundle';
