/**
 * The identity service's functions: one per route (functions/identity/contracts.ts), each with the
 * narrowest table access and only the Cognito admin actions it calls. Public user pool APIs (SignUp,
 * ConfirmSignUp, ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword, InitiateAuth,
 * GlobalSignOut) need no IAM permission.
 */
import {
  confirmRoute,
  forgotPasswordRoute,
  getMeRoute,
  loginRoute,
  logoutRoute,
  refreshRoute,
  registerRoute,
  resendConfirmationRoute,
  resetPasswordRoute,
  setUserRolesRoute,
  updateMeRoute,
} from '../../../functions/identity/contracts';
import { defineHttpFunctions } from '../define-functions';

export const identityFunctions = defineHttpFunctions('identity', [
  {
    name: 'AuthRegister',
    handler: 'register',
    route: registerRoute,
    description: 'Registers a customer: Cognito sign-up, profile, customer group',
    tables: { Users: 'write' },
    userPool: ['AdminConfirmSignUp', 'AdminAddUserToGroup'],
  },
  {
    name: 'AuthConfirm',
    handler: 'confirm',
    route: confirmRoute,
    description: 'Confirms a registration with the emailed code',
    userPool: [],
  },
  {
    name: 'AuthResendConfirmation',
    handler: 'resend-confirmation',
    route: resendConfirmationRoute,
    description: 'Emails a new sign-up confirmation code',
    userPool: [],
  },
  {
    name: 'AuthForgotPassword',
    handler: 'forgot-password',
    route: forgotPasswordRoute,
    description: 'Emails a password-reset code',
    userPool: [],
  },
  {
    name: 'AuthResetPassword',
    handler: 'reset-password',
    route: resetPasswordRoute,
    description: 'Sets a new password with the emailed reset code',
    userPool: [],
  },
  {
    name: 'AuthLogin',
    handler: 'login',
    route: loginRoute,
    description: 'Password sign-in; finishes a registration that stopped half-way',
    // Finishing a half-done registration: read the Cognito user, write the missing profile, add the group.
    tables: { Users: 'write' },
    userPool: ['AdminGetUser', 'AdminAddUserToGroup'],
  },
  {
    name: 'AuthRefresh',
    handler: 'refresh',
    route: refreshRoute,
    description: 'Exchanges a refresh token for new access and id tokens',
    userPool: [],
  },
  {
    name: 'AuthLogout',
    handler: 'logout',
    route: logoutRoute,
    description: 'Signs the caller out everywhere (revokes their refresh tokens)',
    userPool: [],
  },
  {
    name: 'GetMe',
    handler: 'get-me',
    route: getMeRoute,
    description: "Returns the caller's profile, rebuilding it from Cognito if it is missing",
    tables: { Users: 'readWrite' },
    userPool: ['AdminGetUser'],
  },
  {
    name: 'UpdateMe',
    handler: 'update-me',
    route: updateMeRoute,
    description: "Changes the caller's name and phone",
    tables: { Users: 'readWrite' },
    userPool: ['AdminGetUser'],
  },
  {
    name: 'AdminSetUserRoles',
    handler: 'set-user-roles',
    route: setUserRolesRoute,
    description: "Replaces a user's roles (Cognito groups and profile)",
    tables: { Users: 'readWrite' },
    userPool: ['AdminListGroupsForUser', 'AdminAddUserToGroup', 'AdminRemoveUserFromGroup'],
  },
]);
