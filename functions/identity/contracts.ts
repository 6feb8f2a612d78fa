/**
 * The identity routes: registration, sign-in, tokens, the caller's profile and role administration.
 * Request schemas are strict (unknown fields are a 400); the handlers in handlers/ validate with them.
 */
import * as z from 'zod/mini';
import { defineRoute, ROLES } from '#shared/http/route';
import { USER_LOCALES } from '#shared/published/user-locales';

const tags = ['identity'];
const anyRole = { roles: ROLES };

// --- field rules ------------------------------------------------------------------------------------------

/** Trimmed and lower-cased, so one mailbox is one account whatever its spelling. */
export const emailField = () =>
  z.string().check(
    z.trim(),
    z.toLowerCase(),
    z.maxLength(254, 'At most 254 characters'),
    // As classic zod's `.email()`: the format runs as a check, after the trim and lower-casing.
    z.email('A valid email address, e.g. asha@example.com'),
  );

/** Cognito enforces the pool's policy (upper, lower, digit, symbol); this only bounds the length. */
export const passwordField = () =>
  z.string().check(z.minLength(12, 'At least 12 characters'), z.maxLength(256, 'At most 256 characters'));

/**
 * Any script, but no control characters, no lone UTF-16 surrogates (not text; they cannot be stored as
 * UTF-8) and no bidirectional overrides or isolates, which make a name display as something else.
 * Zero-width joiners stay allowed: Indic scripts and emoji need them.
 */
export const nameField = () =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'Required'),
      z.maxLength(100, 'At most 100 characters'),
      z.regex(
        /^[^\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]*$/u,
        'No control, direction-override or unpaired surrogate characters',
      ),
    );

export const phoneField = () => z.e164('A phone number in E.164 form, e.g. +919876543210');

const codeField = () =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'Required'),
      z.maxLength(20, 'At most 20 characters'),
      z.regex(/^[\w-]+$/, 'Letters and digits only'),
    );
/** Cognito refresh tokens are opaque JWE strings (cognito-local: a JWT). */
const refreshTokenField = () =>
  z
    .string()
    .check(
      z.minLength(1, 'Required'),
      z.maxLength(8192),
      z.regex(/^[\w.-]+$/, 'A refresh token as returned by login'),
    );

/** Cognito subs are UUIDs. */
export const userIdField = () => z.guid('A user id (UUID)');

/** The language notifications are written in (published as `locale` in user-locales.ts; absent = en). */
export const localeField = () => z.enum(USER_LOCALES);

const roleList = () =>
  z.array(z.enum(ROLES)).check(
    z.minLength(1, 'At least one role'),
    z.maxLength(ROLES.length),
    z.refine((roles) => new Set(roles).size === roles.length, 'Each role at most once'),
  );

// --- response shapes --------------------------------------------------------------------------------------

export const profileResponse = () =>
  z.object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    phone: z.nullable(z.string()),
    locale: z.enum(USER_LOCALES),
    roles: z.array(z.enum(ROLES)),
    createdAt: z.string(),
    updatedAt: z.string(),
  });

const tokenFields = () => ({
  accessToken: z.string().check(z.describe('Send as `Authorization: Bearer <accessToken>`')),
  idToken: z.string(),
  expiresIn: z.number().check(z.int(), z.describe('Seconds until the access token expires')),
  tokenType: z.literal('Bearer'),
});

// --- routes -----------------------------------------------------------------------------------------------

export const registerRoute = defineRoute({
  method: 'POST',
  path: '/v1/auth/register',
  summary:
    'Create an account (role customer). On stages that auto-confirm (local, dev) it can log in at once; otherwise a code is emailed for POST /v1/auth/confirm.',
  tags,
  auth: { public: true },
  request: () => ({
    body: z.strictObject({
      email: emailField(),
      password: passwordField(),
      name: nameField(),
      phone: z.optional(phoneField()),
      locale: z.optional(localeField()),
    }),
  }),
  success: {
    status: 201,
    description: 'Registered',
    schema: () =>
      z.object({
        userId: z.string(),
        email: z.string(),
        confirmed: z.boolean(),
        nextStep: z.enum(['LOGIN', 'CONFIRM_SIGN_UP']),
      }),
  },
  errors: [409, 429],
});

export const confirmRoute = defineRoute({
  method: 'POST',
  path: '/v1/auth/confirm',
  summary:
    'Confirm a registration with the emailed code. Any failure is the same 400, so no email can be probed.',
  tags,
  auth: { public: true },
  request: () => ({ body: z.strictObject({ email: emailField(), code: codeField() }) }),
  success: { status: 204, description: 'Confirmed' },
  errors: [429],
});

export const resendConfirmationRoute = defineRoute({
  method: 'POST',
  path: '/v1/auth/confirm/resend',
  summary:
    'Email a new confirmation code for POST /v1/auth/confirm. Always 202 (unknown, already confirmed or not), so no email can be probed.',
  tags,
  auth: { public: true },
  request: () => ({ body: z.strictObject({ email: emailField() }) }),
  success: { status: 202, description: 'A new code is on its way if the account awaits confirmation' },
  errors: [429],
});

export const forgotPasswordRoute = defineRoute({
  method: 'POST',
  path: '/v1/auth/password/forgot',
  summary:
    'Email a password-reset code for POST /v1/auth/password/reset. Always 202 (whether or not the account exists), so no email can be probed.',
  tags,
  auth: { public: true },
  request: () => ({ body: z.strictObject({ email: emailField() }) }),
  success: { status: 202, description: 'A reset code is on its way if the account can reset its password' },
  errors: [429],
});

export const resetPasswordRoute = defineRoute({
  method: 'POST',
  path: '/v1/auth/password/reset',
  summary:
    'Set a new password with the emailed reset code. A wrong or expired code and an unknown email are the same 400 on `code`; a password the policy refuses is a 400 on `newPassword`.',
  tags,
  auth: { public: true },
  request: () => ({
    body: z.strictObject({ email: emailField(), code: codeField(), newPassword: passwordField() }),
  }),
  success: { status: 204, description: 'Password changed' },
  errors: [429],
});

export const loginRoute = defineRoute({
  method: 'POST',
  path: '/v1/auth/login',
  summary:
    'Sign in with email and password. Wrong password and unknown email are the same 401; an unconfirmed account is 403; accounts that need MFA cannot sign in through this API version (403).',
  tags,
  auth: { public: true },
  request: () => ({
    body: z.strictObject({
      email: emailField(),
      password: z.string().check(z.minLength(1, 'Required'), z.maxLength(256)),
    }),
  }),
  success: {
    status: 200,
    description: 'Signed in',
    schema: () => z.object({ ...tokenFields(), refreshToken: z.string() }),
  },
  errors: [401, 403, 429],
});

export const refreshRoute = defineRoute({
  method: 'POST',
  path: '/v1/auth/refresh',
  summary:
    'New access and id tokens for a refresh token (with the roles the user has now). Invalid, expired or revoked (after logout) refresh tokens are 401.',
  tags,
  auth: { public: true },
  request: () => ({ body: z.strictObject({ refreshToken: refreshTokenField() }) }),
  success: {
    status: 200,
    description: 'Refreshed',
    schema: () =>
      z.object({
        ...tokenFields(),
        refreshToken: z
          .optional(z.string())
          .check(z.describe('Only if the pool rotates refresh tokens: keep this one')),
      }),
  },
  errors: [401, 429],
});

export const logoutRoute = defineRoute({
  method: 'POST',
  path: '/v1/auth/logout',
  summary:
    'Sign out everywhere: revokes all of the caller’s refresh tokens (Cognito GlobalSignOut). Access tokens already issued stay valid at the gateway until they expire.',
  tags,
  auth: anyRole,
  request: () => ({
    headers: z.object({
      authorization: z
        .string('Send the access token as Authorization: Bearer <token>')
        .check(
          z.regex(
            /^(Bearer\s+)?[\w-]+\.[\w-]+\.[\w-]+$/i,
            'Send the access token as Authorization: Bearer <token>',
          ),
        ),
    }),
  }),
  success: { status: 204, description: 'Signed out' },
  errors: [429],
});

export const getMeRoute = defineRoute({
  method: 'GET',
  path: '/v1/me',
  summary: 'The caller’s profile.',
  tags,
  auth: anyRole,
  success: { status: 200, description: 'The profile', schema: profileResponse },
  errors: [404],
});

export const updateMeRoute = defineRoute({
  method: 'PATCH',
  path: '/v1/me',
  summary: 'Change the caller’s name, phone (null removes it) and/or locale (the language of notifications).',
  tags,
  auth: anyRole,
  request: () => ({
    body: z
      .strictObject({
        name: z.optional(nameField()),
        phone: z.optional(z.nullable(phoneField())),
        locale: z.optional(localeField()),
      })
      .check(
        z.refine(
          (b) => b.name !== undefined || b.phone !== undefined || b.locale !== undefined,
          'Send name, phone or locale',
        ),
      ),
  }),
  success: { status: 200, description: 'The updated profile', schema: profileResponse },
  errors: [404],
});

export const setUserRolesRoute = defineRoute({
  method: 'PUT',
  path: '/v1/admin/users/{userId}/roles',
  summary:
    'Replace a user’s roles (Cognito groups). They take effect in the user’s next tokens (login or refresh), not in tokens already issued. An admin cannot remove admin from themselves (409).',
  tags,
  auth: { roles: ['admin'] },
  request: () => ({
    pathParams: z.strictObject({ userId: userIdField() }),
    body: z.strictObject({ roles: roleList() }),
  }),
  success: { status: 200, description: 'The profile with its new roles', schema: profileResponse },
  errors: [404, 409, 429],
});
