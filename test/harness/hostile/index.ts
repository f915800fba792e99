// Every hostile input of issue 21's areas, for bench/hostile.ts; each area's test asserts its own.
import { budgetInputs } from './budget.js';
import { fuzzFoundInputs } from './fuzz-found.js';
import { aksTypeInputs, graphTypeInputs } from './graph-types.js';
import { inputsInputs } from './inputs.js';
import { terraformInputs } from './terraform.js';
import type { HostileInput } from './types.js';

export const HOSTILE_INPUTS: readonly HostileInput[] = [...budgetInputs, ...inputsInputs, ...graphTypeInputs, ...aksTypeInputs, ...fuzzFoundInputs, ...terraformInputs];
