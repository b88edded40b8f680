import { clientKey, KeyLookup } from './client-key';

describe('clientKey', () => {
  const lookup: KeyLookup = (s) => ({ 'secret-one': 'app-one', 'secret-two': 'app-two' })[s] ?? null;
  it('spends a configured app key’s budget by its name, never showing the secret', () => {
    const a = clientKey({ 'x-api-key': 'secret-one' }, '10.0.0.1', lookup, '');
    expect(a).toBe('key:app-one');
    expect(clientKey({ 'x-api-key': 'secret-one' }, '10.0.0.2', lookup, '')).toBe(a); // the same key from anywhere
    expect(clientKey({ 'x-api-key': 'secret-two' }, '10.0.0.1', lookup, '')).toBe('key:app-two');
  });
  it('counts an unknown key, or none, as its IP (inventing keys buys no budget)', () => {
    expect(clientKey({ 'x-api-key': 'made-up' }, '10.0.0.1', lookup, '')).toBe('ip:10.0.0.1');
    expect(clientKey({ 'x-api-key': 'anything' }, '10.0.0.1', () => null, '')).toBe('ip:10.0.0.1');
    expect(clientKey({}, '10.0.0.3', lookup, '')).toBe('ip:10.0.0.3');
  });
  it('gives the admin token its own budget', () => {
    expect(clientKey({ authorization: 'Bearer adm' }, '10.0.0.1', lookup, 'adm')).toBe('admin');
    expect(clientKey({ authorization: 'Bearer nope' }, '10.0.0.1', lookup, 'adm')).toBe('ip:10.0.0.1');
  });
});
