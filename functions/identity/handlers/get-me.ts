import { httpHandler } from '#shared/http/handler';
import { getMeRoute } from '../contracts';
import { identityProvider, systemClock } from '../dependencies';
import { profileRepository } from '../profile-dependencies';
import { toProfileView } from '../domain/profile';
import { getMyProfile } from '../use-cases/my-profile';

const deps = { idp: identityProvider(), profiles: profileRepository(), now: systemClock };

export const handler = httpHandler(getMeRoute, async ({ caller }) =>
  toProfileView(await getMyProfile(deps, caller)),
);
