import { httpHandler } from '#shared/http/handler';
import { setUserRolesRoute } from '../contracts';
import { identityProvider, systemClock } from '../dependencies';
import { profileRepository } from '../profile-dependencies';
import { toProfileView } from '../domain/profile';
import { setUserRoles } from '../use-cases/user-roles';

const deps = { idp: identityProvider(), profiles: profileRepository(), now: systemClock };

export const handler = httpHandler(setUserRolesRoute, async ({ caller, path, body }) =>
  toProfileView(await setUserRoles(deps, caller, { userId: path.userId, roles: body.roles })),
);
