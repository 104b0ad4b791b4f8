/** Schemas the UI side also validates with (imports of files from outside the vault). */
export { z } from './zod';
export { ANNOTATION_COLORS, annotationFieldsSchema, rectSchema } from './model';
