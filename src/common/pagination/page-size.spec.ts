import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ArgsType } from '@nestjs/graphql';
import { checkFirst, FirstField, PAGE_MAX } from './page-size';

@ArgsType()
class Listed {
  @FirstField(100)
  first!: number;
}

describe('first', () => {
  it('accepts 1..max', () => {
    expect(checkFirst(1)).toBe(1);
    expect(checkFirst(PAGE_MAX)).toBe(PAGE_MAX);
    expect(checkFirst(100, 100)).toBe(100);
  });

  it('refuses 0, above max, negatives and fractions with VALIDATION_FAILED on `first`', () => {
    for (const [first, max] of [
      [0, PAGE_MAX],
      [PAGE_MAX + 1, PAGE_MAX],
      [-1, PAGE_MAX],
      [2.5, PAGE_MAX],
      [101, 100],
    ]) {
      expect(() => checkFirst(first, max)).toThrow(
        expect.objectContaining({
          category: 'BAD_USER_INPUT',
          reason: 'VALIDATION_FAILED',
          details: [{ field: 'first', message: `must be between 1 and ${max}` }],
        }),
      );
    }
  });

  it('says the same in an @ArgsType class (FirstField)', () => {
    const errors = (first: number) => validateSync(plainToInstance(Listed, { first })).flatMap((e) => Object.values(e.constraints ?? {}));
    expect(errors(100)).toEqual([]);
    expect(errors(101)).toEqual(['must be between 1 and 100']);
    expect(errors(0)).toEqual(['must be between 1 and 100']);
  });
});
