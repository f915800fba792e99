// numeric functions of the ARM expression language.
import type { FnDef } from '../evaluator.js';

export const numeric: Record<string, FnDef> = {};
