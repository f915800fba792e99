// string functions of the ARM expression language.
import type { FnDef } from '../evaluator.js';

export const string: Record<string, FnDef> = {};
