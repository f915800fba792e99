// lambda functions of the ARM expression language.
import type { FnDef } from '../evaluator.js';

export const lambda: Record<string, FnDef> = {};
