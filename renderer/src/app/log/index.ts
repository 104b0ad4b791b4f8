// The custody log: the page (verification, the way out for rolled-back records, every entry) and one case's history.
export { CaseHistory } from './CaseHistory';
export { CustodyLogPanel } from './CustodyLogPanel';
