// A PDF's password, remembered in the vault only when the user asks (issue 19).
export {
  pdfPasswordFlow,
  type PdfPasswordFlow,
  type PdfPasswordPrompting,
  type PdfPasswordReason,
} from './password-flow';
export { passwordBytes, passwordText, vaultPasswordMemory, type PdfPasswordMemory } from './password-memory';
export { RememberedPassword } from './RememberedPassword';
