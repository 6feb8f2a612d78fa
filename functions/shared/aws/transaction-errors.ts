/**
 * Reading DynamoDB's write failures by name (the SDK's error classes are not shared across bundles, so
 * `instanceof` on them is unreliable): the per-item codes of a cancelled transaction, and a failed
 * condition of a single write.
 */
import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** The cancellation code of each item of a cancelled transaction (`undefined` if `error` is not one). */
export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  return ((error as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code);
}

export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';
