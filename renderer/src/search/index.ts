export { SearchPanel, type SearchTarget } from './SearchPanel';
export { MOST_HITS, SEARCH_PAGE } from './search-page';
