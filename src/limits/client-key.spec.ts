import { clientKey } from './client-key';

describe('clientKey', () => {
  const keys = ['k-one', 'k-two'];
  it('spends a configured API key’s budget, never showing the key', () => {
    const a = clientKey({ 'x-api-key': 'k-one' }, '10.0.0.1', keys, '');
    expect(a).toMatch(/^key:[0-9a-f]{24}$/);
    expect(a).not.toContain('k-one');
    expect(clientKey({ 'x-api-key': 'k-one' }, '10.0.0.2', keys, '')).toBe(a); // the same key from anywhere
    expect(clientKey({ 'x-api-key': 'k-two' }, '10.0.0.1', keys, '')).not.toBe(a);
  });
  it('counts an unknown key, or none, as its IP (inventing keys buys no budget)', () => {
    expect(clientKey({ 'x-api-key': 'made-up' }, '10.0.0.1', keys, '')).toBe('ip:10.0.0.1');
    expect(clientKey({ 'x-api-key': 'anything' }, '10.0.0.1', [], '')).toBe('ip:10.0.0.1');
    expect(clientKey({}, '10.0.0.3', keys, '')).toBe('ip:10.0.0.3');
  });
  it('gives the admin token its own budget', () => {
    expect(clientKey({ authorization: 'Bearer adm' }, '10.0.0.1', keys, 'adm')).toBe('admin');
    expect(clientKey({ authorization: 'Bearer nope' }, '10.0.0.1', keys, 'adm')).toBe('ip:10.0.0.1');
  });
});
