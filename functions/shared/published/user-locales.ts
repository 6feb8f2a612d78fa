/**
 * Published values of the `locale` attribute of the identity service's `Users` profile (ADR 9): what
 * identity stores and the notification templates are written in. A module of its own, without the SDK,
 * so identity's functions that only validate it bundle no DynamoDB client (test/infra/bundles.test.ts).
 */
export const USER_LOCALES = ['en', 'hi'] as const;
export type UserLocale = (typeof USER_LOCALES)[number];
