import { SelfDemotionError } from '../../../functions/identity/domain/errors';
import type { Profile } from '../../../functions/identity/domain/profile';
import { setUserRoles } from '../../../functions/identity/use-cases/user-roles';
import { ForbiddenError, NotFoundError } from '../../../functions/shared/errors';
import type { Role } from '../../../functions/shared/http/route';
import { clock, FakeIdentityProvider, FakeProfiles, NOW } from './fakes';

const earlier = '2026-01-01T00:00:00.000Z';

function setup(roles: Role[] = ['customer']) {
  const idp = new FakeIdentityProvider();
  const profiles = new FakeProfiles();
  const target = idp.addUser({ email: 'meera@example.com', password: 'x' });
  roles.forEach((r) => target.groups.add(r));
  const profile: Profile = {
    userId: target.sub,
    username: target.username,
    email: target.email,
    name: 'Meera',
    roles,
    createdAt: earlier,
    updatedAt: earlier,
  };
  profiles.items.set(target.sub, profile);
  const adminUser = idp.addUser({ email: 'boss@example.com', password: 'x' });
  adminUser.groups.add('admin');
  profiles.items.set(adminUser.sub, {
    ...profile,
    userId: adminUser.sub,
    username: adminUser.username,
    roles: ['admin'],
  });
  const admin = { userId: adminUser.sub, username: adminUser.username, roles: ['admin' as const] };
  return { idp, profiles, target, adminUser, admin, deps: { idp, profiles, now: clock } };
}

describe('setUserRoles', () => {
  it('adds a role to the Cognito groups and the profile', async () => {
    const { deps, admin, target, profiles } = setup(['customer']);

    const profile = await setUserRoles(deps, admin, { userId: target.sub, roles: ['customer', 'merchant'] });

    expect([...target.groups].sort()).toEqual(['customer', 'merchant']);
    expect(profile.roles).toEqual(['customer', 'merchant']);
    expect(profiles.items.get(target.sub)).toMatchObject({
      roles: ['customer', 'merchant'],
      updatedAt: NOW.toISOString(),
    });
  });

  it('removes the roles that are not listed', async () => {
    const { deps, admin, target } = setup(['customer', 'merchant']);

    const profile = await setUserRoles(deps, admin, { userId: target.sub, roles: ['delivery_partner'] });

    expect([...target.groups]).toEqual(['delivery_partner']);
    expect(profile.roles).toEqual(['delivery_partner']);
  });

  it('adds before it removes, so the user never has no role in between', async () => {
    const { deps, admin, target, idp } = setup(['customer']);

    await setUserRoles(deps, admin, { userId: target.sub, roles: ['store_staff'] });

    const groupCalls = idp.calls.filter((c) => c.method === 'addToGroup' || c.method === 'removeFromGroup');
    expect(groupCalls.map((c) => [c.method, c.args[1]])).toEqual([
      ['addToGroup', 'store_staff'],
      ['removeFromGroup', 'customer'],
    ]);
  });

  it('calls Cognito with the Cognito username, not the email', async () => {
    const { deps, admin, target, idp } = setup(['customer']);

    await setUserRoles(deps, admin, { userId: target.sub, roles: ['merchant'] });

    // The actor's own groups are read too (still an admin?), by their Cognito username as well.
    const usernames = new Set(idp.calls.filter((c) => c.method !== 'getUser').map((c) => c.args[0]));
    expect(usernames).toEqual(new Set([target.username, admin.username]));
  });

  it('changes nothing in Cognito when the roles are already right', async () => {
    const { deps, admin, target, idp } = setup(['customer', 'merchant']);

    await setUserRoles(deps, admin, { userId: target.sub, roles: ['merchant', 'customer'] });

    expect(idp.methodsCalled()).toEqual(['listGroups', 'listGroups']); // the actor's, the target's
  });

  it('leaves groups that are not roles alone', async () => {
    const { deps, admin, target } = setup(['customer']);
    target.groups.add('beta-testers');

    await setUserRoles(deps, admin, { userId: target.sub, roles: ['merchant'] });

    expect([...target.groups].sort()).toEqual(['beta-testers', 'merchant']);
  });

  it('refuses to let an admin remove admin from themselves', async () => {
    const { deps, admin, adminUser, idp } = setup();

    await expect(
      setUserRoles(deps, admin, { userId: admin.userId, roles: ['customer'] }),
    ).rejects.toBeInstanceOf(SelfDemotionError);
    expect([...adminUser.groups]).toEqual(['admin']);
    expect(idp.methodsCalled()).toEqual([]);
  });

  it('refuses an admin whose token predates their demotion: no restoring their own role', async () => {
    const { deps, admin, adminUser, target } = setup(['customer']);
    adminUser.groups.delete('admin'); // demoted by another admin; the token still says admin
    adminUser.groups.add('customer');

    await expect(
      setUserRoles(deps, admin, { userId: admin.userId, roles: ['admin', 'customer'] }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      setUserRoles(deps, admin, { userId: target.sub, roles: ['merchant'] }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect([...adminUser.groups]).toEqual(['customer']);
    expect([...target.groups]).toEqual(['customer']);
  });

  it('lets an admin give themselves more roles', async () => {
    const { deps, admin, adminUser } = setup();

    await setUserRoles(deps, admin, { userId: admin.userId, roles: ['admin', 'merchant'] });

    expect([...adminUser.groups].sort()).toEqual(['admin', 'merchant']);
  });

  it('answers 404 for a user id without a profile', async () => {
    const { deps, admin } = setup();

    await expect(
      setUserRoles(deps, admin, { userId: '00000000-0000-4000-8000-000000000000', roles: ['merchant'] }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers 404 when the profile outlived its Cognito user', async () => {
    const { deps, admin, target, idp } = setup();
    idp.users.delete(target.username);

    await expect(
      setUserRoles(deps, admin, { userId: target.sub, roles: ['merchant'] }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
