import type { FunctionDef } from '../types';

/** Filled in with the identity routes (functions/identity). */
export const identityFunctions: FunctionDef[] = [];
