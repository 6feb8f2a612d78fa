import { provisionAccount } from '../../../functions/identity/use-cases/provision-account';
import { clock, FakeIdentityProvider, FakeProfiles } from './fakes';

const spec = { email: 'Admin@Demo.Zepto.Local', name: 'Demo Admin', roles: ['admin', 'customer'] as const };
const password = 'Zepto-Demo-2026!';

function setup() {
  const idp = new FakeIdentityProvider();
  const profiles = new FakeProfiles();
  return { idp, profiles, deps: { idp, profiles, now: clock } };
}

describe('provisionAccount', () => {
  it('creates a confirmed account with the roles, the password and a profile', async () => {
    const { deps, idp, profiles } = setup();

    const account = await provisionAccount(deps, spec, password);

    const user = idp.userByEmail('admin@demo.zepto.local')!;
    expect(account).toEqual({
      email: 'admin@demo.zepto.local',
      userId: user.sub,
      roles: ['customer', 'admin'],
      created: true,
    });
    expect(user).toMatchObject({ status: 'CONFIRMED', password });
    expect([...user.groups].sort()).toEqual(['admin', 'customer']);
    expect(profiles.items.get(user.sub)).toMatchObject({
      email: 'admin@demo.zepto.local',
      name: 'Demo Admin',
      roles: ['customer', 'admin'],
    });
  });

  it('can run again without failing or duplicating anything', async () => {
    const { deps, idp, profiles } = setup();
    const first = await provisionAccount(deps, spec, password);

    const second = await provisionAccount(deps, spec, password);

    expect(second).toEqual({ ...first, created: false });
    expect(idp.users.size).toBe(1);
    expect(profiles.items.size).toBe(1);
  });

  it('repairs an existing account: confirms it, resets the password, fixes groups and profile', async () => {
    const { deps, idp, profiles } = setup();
    await provisionAccount(deps, spec, password);
    const user = idp.userByEmail('admin@demo.zepto.local')!;
    user.status = 'UNCONFIRMED';
    user.password = 'changed-by-someone';
    user.groups.delete('admin');
    user.groups.add('merchant');
    await profiles.update(user.sub, { name: 'Renamed', phone: '+919800000000' }, 'x');
    await profiles.setRoles(user.sub, ['merchant'], 'x');

    await provisionAccount(deps, spec, password);

    expect(user).toMatchObject({ status: 'CONFIRMED', password });
    expect([...user.groups].sort()).toEqual(['admin', 'customer']);
    const profile = profiles.items.get(user.sub)!;
    expect(profile).toMatchObject({ name: 'Demo Admin', roles: ['customer', 'admin'] });
    expect(profile.phone).toBeUndefined();
  });
});
