import { presentedToken, secretMatches } from './auth';

describe('admin credentials', () => {
  it('compares secrets of any length without leaking by length', () => {
    expect(secretMatches('s3cret-token', 's3cret-token')).toBe(true);
    expect(secretMatches('s3cret-token-but-longer', 's3cret-token')).toBe(false);
    expect(secretMatches('', '')).toBe(false);
  });
  it('reads bearer tokens and the password of basic auth', () => {
    expect(presentedToken('Bearer abc')).toBe('abc');
    expect(presentedToken(`Basic ${Buffer.from('admin:xyz').toString('base64')}`)).toBe('xyz');
    expect(presentedToken('Token abc')).toBeNull();
    expect(presentedToken(undefined)).toBeNull();
  });
});
