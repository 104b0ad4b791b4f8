export { SearchPanel, type SearchTarget } from './SearchPanel';
