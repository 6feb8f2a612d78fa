import type { FunctionDef } from '../types';

/** Filled in with the catalogue routes (functions/catalog). */
export const catalogFunctions: FunctionDef[] = [];
