/** Sizes with the language's digits (Khmer digits in Khmer): one formatter for the whole app. */
export { formatSize } from '../ui/format';
