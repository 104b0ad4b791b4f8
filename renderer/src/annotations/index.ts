export {
  CONTEXT_LENGTH,
  describeSegment,
  describeSelection,
  resolveSegment,
  resolveSegments,
  snapToGraphemes,
  type AnchorStatus,
  type ResolvedSegment,
  type TextQuote,
  type TextSegment,
} from './anchoring';
