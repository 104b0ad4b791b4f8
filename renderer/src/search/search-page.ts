/**
 * Hits the search panel shows at first, and adds at each "Show more results". Every hit comes with its snippet,
 * read from its record (a cold record read each), so a search asks for what the panel shows rather than a hundred
 * at once. The panel asks for one more, to know whether there are more.
 */
export const SEARCH_PAGE = 25;
/** The most hits "Show more results" goes to. */
export const MOST_HITS = 200;
