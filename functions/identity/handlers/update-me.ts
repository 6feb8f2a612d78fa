import { httpHandler } from '#shared/http/handler';
import { updateMeRoute } from '../contracts';
import { identityProvider, systemClock } from '../dependencies';
import { profileRepository } from '../profile-dependencies';
import { toProfileView } from '../domain/profile';
import { updateMyProfile } from '../use-cases/my-profile';

const deps = { idp: identityProvider(), profiles: profileRepository(), now: systemClock };

export const handler = httpHandler(updateMeRoute, async ({ caller, body }) =>
  toProfileView(await updateMyProfile(deps, caller, body)),
);
