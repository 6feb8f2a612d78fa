/**
 * The identity service's functions: one per route (functions/identity/contracts.ts), each with the
 * narrowest table access and only the Cognito admin actions it calls. Public user pool APIs (SignUp,
 * ConfirmSignUp, InitiateAuth, GlobalSignOut) need no IAM permission.
 */
import {
  confirmRoute,
  getMeRoute,
  loginRoute,
  logoutRoute,
  refreshRoute,
  registerRoute,
  setUserRolesRoute,
  updateMeRoute,
} from '../../../functions/identity/contracts';
import type { FunctionDef } from '../types';

const service = 'identity';
const entry = (file: string): string => `functions/identity/handlers/${file}.ts`;

export const identityFunctions: FunctionDef[] = [
  {
    name: 'AuthRegister',
    service,
    entry: entry('register'),
    description: 'Registers a customer: Cognito sign-up, profile, customer group',
    trigger: { kind: 'http', route: registerRoute },
    tables: { Users: 'write' },
    userPool: ['AdminConfirmSignUp', 'AdminAddUserToGroup'],
  },
  {
    name: 'AuthConfirm',
    service,
    entry: entry('confirm'),
    description: 'Confirms a registration with the emailed code',
    trigger: { kind: 'http', route: confirmRoute },
    userPool: [],
  },
  {
    name: 'AuthLogin',
    service,
    entry: entry('login'),
    description: 'Password sign-in; finishes a registration that stopped half-way',
    trigger: { kind: 'http', route: loginRoute },
    // Finishing a half-done registration: read the Cognito user, write the missing profile, add the group.
    tables: { Users: 'write' },
    userPool: ['AdminGetUser', 'AdminAddUserToGroup'],
  },
  {
    name: 'AuthRefresh',
    service,
    entry: entry('refresh'),
    description: 'Exchanges a refresh token for new access and id tokens',
    trigger: { kind: 'http', route: refreshRoute },
    userPool: [],
  },
  {
    name: 'AuthLogout',
    service,
    entry: entry('logout'),
    description: 'Signs the caller out everywhere (revokes their refresh tokens)',
    trigger: { kind: 'http', route: logoutRoute },
    userPool: [],
  },
  {
    name: 'GetMe',
    service,
    entry: entry('get-me'),
    description: "Returns the caller's profile, rebuilding it from Cognito if it is missing",
    trigger: { kind: 'http', route: getMeRoute },
    tables: { Users: 'readWrite' },
    userPool: ['AdminGetUser'],
  },
  {
    name: 'UpdateMe',
    service,
    entry: entry('update-me'),
    description: "Changes the caller's name and phone",
    trigger: { kind: 'http', route: updateMeRoute },
    tables: { Users: 'readWrite' },
    userPool: ['AdminGetUser'],
  },
  {
    name: 'AdminSetUserRoles',
    service,
    entry: entry('set-user-roles'),
    description: "Replaces a user's roles (Cognito groups and profile)",
    trigger: { kind: 'http', route: setUserRolesRoute },
    tables: { Users: 'readWrite' },
    userPool: ['AdminListGroupsForUser', 'AdminAddUserToGroup', 'AdminRemoveUserFromGroup'],
  },
];
