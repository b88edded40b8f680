import { Dataset } from './dataset';
import { limitUsers } from './dataset-importer';

const ds: Dataset = {
  name: 'ciao',
  prefix: 'ciao:',
  users: ['ciao:u1', 'ciao:u2', 'ciao:u5'],
  items: ['ciao:i10', 'ciao:i11', 'ciao:i12', 'ciao:i13'].map((id) => ({ id, title: null, tags: null })),
  interactions: [
    { u: 'ciao:u1', i: 'ciao:i10', t: 'RATING', w: 2, c: 2, s: 'train' },
    { u: 'ciao:u2', i: 'ciao:i11', t: 'RATING', w: 1, c: 1, s: 'test' },
    { u: 'ciao:u5', i: 'ciao:i12', t: 'RATING', w: 1, c: 1, s: 'train' },
  ],
  friendships: [
    { lo: 'ciao:u1', hi: 'ciao:u2' },
    { lo: 'ciao:u1', hi: 'ciao:u5' },
  ],
  notes: ['n'],
};

describe('limitUsers', () => {
  it('keeps the first N users with their edges and the items those touch', () => {
    const out = limitUsers(ds, 2);
    expect(out.users).toEqual(['ciao:u1', 'ciao:u2']);
    expect(out.friendships).toEqual([{ lo: 'ciao:u1', hi: 'ciao:u2' }]);
    expect(out.interactions.map((r) => r.u)).toEqual(['ciao:u1', 'ciao:u2']);
    expect(out.items.map((i) => i.id)).toEqual(['ciao:i10', 'ciao:i11']);
    expect(out.notes).toEqual(['n', 'limited to the first 2 user(s)']);
  });
});
