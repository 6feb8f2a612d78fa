import {
  loginRoute,
  logoutRoute,
  registerRoute,
  setUserRolesRoute,
  updateMeRoute,
} from '../../../functions/identity/contracts';

const register = registerRoute.request!().body!;
const valid = { email: 'asha@example.com', password: 'Correct-Horse-9', name: 'Asha' };

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; code: string }[] } }) =>
  (result.error?.issues ?? []).map((i) => `${i.path.join('.')}:${i.code}`);

describe('register body', () => {
  it('trims and lower-cases the email', () => {
    expect(register.parse({ ...valid, email: '  Asha.Rao@Example.COM ' }).email).toBe('asha.rao@example.com');
  });

  it.each(['not-an-email', 'asha@', '@example.com', 'asha@example', ''])('rejects the email %p', (email) => {
    expect(issues(register.safeParse({ ...valid, email }))).toEqual([expect.stringMatching(/^email:/)]);
  });

  it('rejects an email longer than 254 characters', () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;
    expect(email.length).toBeGreaterThan(254);
    expect(register.safeParse({ ...valid, email }).success).toBe(false);
  });

  it.each(['+919876543210', '+14155552671'])('accepts the E.164 phone %p', (phone) => {
    expect(register.parse({ ...valid, phone }).phone).toBe(phone);
  });

  it.each(['9876543210', '+91 98765 43210', '+0123456789', '+91-9876543210', '+1234567890123456'])(
    'rejects the phone %p',
    (phone) => {
      expect(issues(register.safeParse({ ...valid, phone }))).toEqual([expect.stringMatching(/^phone:/)]);
    },
  );

  it('trims the name and refuses an empty one', () => {
    expect(register.parse({ ...valid, name: '  Asha Rao ' }).name).toBe('Asha Rao');
    expect(issues(register.safeParse({ ...valid, name: '   ' }))).toEqual(['name:too_small']);
  });

  it.each([
    ['a control character', 'Asha\u0007Rao'],
    ['a line break', 'Asha\nRao'],
    ['a lone high surrogate', 'Asha\ud800'],
    ['a lone low surrogate', '\udfffAsha'],
    ['a right-to-left override', 'Asha\u202eoaR'],
    ['a directional isolate', '\u2066Asha\u2069'],
  ])('refuses a name with %s', (_case, name) => {
    expect(issues(register.safeParse({ ...valid, name }))).toEqual(['name:invalid_format']);
    expect(issues(updateMeRoute.request!().body!.safeParse({ name }))).toEqual(['name:invalid_format']);
  });

  it.each([
    ['Latin with accents', 'José Ñúñez-Ödegaard'],
    ['Devanagari', 'आशा राव'],
    ['Malayalam with a zero-width joiner', 'മല\u200dയാളം'],
    ['Hindi with a zero-width non-joiner', 'क्\u200cष'],
    ['an emoji sequence', 'Asha 👩🏽\u200d💻'],
  ])('accepts a name in %s', (_case, name) => {
    expect(register.parse({ ...valid, name }).name).toBe(name);
  });

  it('refuses a name over 100 characters', () => {
    expect(register.safeParse({ ...valid, name: 'x'.repeat(101) }).success).toBe(false);
  });

  it.each([
    ['11 characters', 'Aa1!aaaaaaa', false],
    ['12 characters', 'Aa1!aaaaaaaa', true],
    ['257 characters', `Aa1!${'a'.repeat(253)}`, false],
  ])('checks the password length (%s)', (_case, password, ok) => {
    expect(register.safeParse({ ...valid, password }).success).toBe(ok);
  });

  it('refuses unknown fields', () => {
    expect(issues(register.safeParse({ ...valid, roles: ['admin'] }))).toEqual([':unrecognized_keys']);
  });

  it('requires email, password and name', () => {
    expect(issues(register.safeParse({})).sort()).toEqual([
      'email:invalid_type',
      'name:invalid_type',
      'password:invalid_type',
    ]);
  });
});

describe('login body', () => {
  it('refuses unknown fields', () => {
    expect(
      loginRoute.request!().body!.safeParse({ email: 'a@example.com', password: 'x', remember: true })
        .success,
    ).toBe(false);
  });
});

describe('PATCH /v1/me body', () => {
  const body = updateMeRoute.request!().body!;

  it('needs at least one of name and phone', () => {
    expect(body.safeParse({}).success).toBe(false);
  });

  it('takes null as "remove the phone"', () => {
    expect(body.parse({ phone: null })).toEqual({ phone: null });
  });

  it('refuses fields that are not editable', () => {
    expect(issues(body.safeParse({ name: 'X', email: 'x@example.com' }))).toEqual([':unrecognized_keys']);
  });
});

describe('PUT /v1/admin/users/{userId}/roles', () => {
  const body = setUserRolesRoute.request!().body!;
  const path = setUserRolesRoute.request!().pathParams!;

  it('accepts a unique, non-empty list of known roles', () => {
    expect(body.parse({ roles: ['merchant', 'customer'] })).toEqual({ roles: ['merchant', 'customer'] });
  });

  it.each([[[]], [['customer', 'customer']], [['superuser']]])('refuses the roles %p', (roles) => {
    expect(body.safeParse({ roles }).success).toBe(false);
  });

  it('needs a UUID-shaped user id', () => {
    expect(path.safeParse({ userId: '6f1c2a9e-1d2b-4c3d-9e8f-0a1b2c3d4e5f' }).success).toBe(true);
    expect(path.safeParse({ userId: 'admin@demo.zepto.local' }).success).toBe(false);
  });
});

describe('logout', () => {
  it('is open to every role', () => {
    expect(logoutRoute.auth).toEqual({
      roles: ['customer', 'merchant', 'store_staff', 'delivery_partner', 'admin'],
    });
  });

  it('needs a bearer access token header', () => {
    const headers = logoutRoute.request!().headers!;
    expect(headers.safeParse({ authorization: 'Bearer aaa.bbb.ccc' }).success).toBe(true);
    expect(headers.safeParse({ authorization: 'Basic dXNlcjpwYXNz' }).success).toBe(false);
    expect(headers.safeParse({}).success).toBe(false);
  });
});
