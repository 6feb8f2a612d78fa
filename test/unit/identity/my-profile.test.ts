import type { Profile } from '../../../functions/identity/domain/profile';
import { getMyProfile, updateMyProfile } from '../../../functions/identity/use-cases/my-profile';
import { NotFoundError } from '../../../functions/shared/errors';
import { clock, FakeIdentityProvider, FakeProfiles, NOW } from './fakes';

const earlier = '2026-01-01T00:00:00.000Z';

function setup({ withProfile = true } = {}) {
  const idp = new FakeIdentityProvider();
  const profiles = new FakeProfiles();
  const user = idp.addUser({
    email: 'kiran@example.com',
    password: 'x',
    attributes: { name: 'Kiran', phone_number: '+919812345678' },
  });
  const profile: Profile = {
    userId: user.sub,
    username: user.username,
    email: user.email,
    name: 'Kiran K',
    phone: '+919800000000',
    roles: ['customer'],
    createdAt: earlier,
    updatedAt: earlier,
  };
  if (withProfile) profiles.items.set(user.sub, profile);
  const caller = { userId: user.sub, username: user.username, roles: ['customer' as const] };
  return { idp, profiles, user, caller, deps: { idp, profiles, now: clock } };
}

describe('getMyProfile', () => {
  it("returns the caller's profile", async () => {
    const { deps, caller, profiles } = setup();

    expect(await getMyProfile(deps, caller)).toBe(profiles.items.get(caller.userId));
  });

  it('rebuilds a missing profile from the Cognito user and the roles of the token', async () => {
    const { deps, caller, profiles } = setup({ withProfile: false });

    const profile = await getMyProfile(deps, { ...caller, roles: ['merchant', 'customer'] });

    expect(profile).toEqual({
      userId: caller.userId,
      username: caller.username,
      email: 'kiran@example.com',
      name: 'Kiran',
      phone: '+919812345678',
      roles: ['customer', 'merchant'],
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
    expect(profiles.items.get(caller.userId)).toEqual(profile);
  });

  it('answers 404 when the Cognito user no longer exists', async () => {
    const { deps, caller, idp } = setup({ withProfile: false });
    idp.users.clear();

    await expect(getMyProfile(deps, caller)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('updateMyProfile', () => {
  it('changes the name and stamps updatedAt', async () => {
    const { deps, caller } = setup();

    const profile = await updateMyProfile(deps, caller, { name: 'Kiran Kumar' });

    expect(profile).toMatchObject({
      name: 'Kiran Kumar',
      phone: '+919800000000',
      updatedAt: NOW.toISOString(),
    });
  });

  it('removes the phone when it is null', async () => {
    const { deps, caller } = setup();

    const profile = await updateMyProfile(deps, caller, { phone: null });

    expect(profile.phone).toBeUndefined();
  });

  it('rebuilds a missing profile, then applies the change', async () => {
    const { deps, caller } = setup({ withProfile: false });

    const profile = await updateMyProfile(deps, caller, { phone: '+919811111111' });

    expect(profile).toMatchObject({ email: 'kiran@example.com', name: 'Kiran', phone: '+919811111111' });
  });
});
