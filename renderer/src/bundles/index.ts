export { ContactsPanel, VerificationBadge } from './ContactsPanel';
export { Fingerprint } from './Fingerprint';
export { IdentityPanel } from './IdentityPanel';
