import { PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { badInput, DomainError, ErrorDetail } from './errors/domain-error';

/** At most this many offending entries are listed in one error. */
const MAX_DETAILS = 100;

export function flatten(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

export function validationFailed(details: ErrorDetail[]): DomainError {
  const shown = details.slice(0, MAX_DETAILS);
  const more = details.length > shown.length ? ` (and ${details.length - shown.length} more)` : '';
  return badInput(
    'VALIDATION_FAILED',
    shown
      .slice(0, 5)
      .map((d) => `${d.field}: ${d.message}`)
      .join('; ') + more,
    shown,
  );
}

/** class-validator on every single input object; failures become BAD_USER_INPUT with the field path and why. */
export const validationPipe = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidUnknownValues: false,
  exceptionFactory: (errors) => validationFailed(flatten(errors)),
});

/**
 * Validates every element of a list argument (Nest's ValidationPipe skips arrays), naming the
 * offending entries as `field[i].prop`.
 */
export class ValidateEach<T extends object> implements PipeTransform<unknown, T[]> {
  constructor(
    private readonly cls: new () => T,
    private readonly field: string,
  ) {}

  transform(value: unknown): T[] {
    if (!Array.isArray(value)) throw validationFailed([{ field: this.field, message: 'must be a list' }]);
    const details: ErrorDetail[] = [];
    const out = value.map((v, i) => {
      const inst = plainToInstance(this.cls, v);
      details.push(...flatten(validateSync(inst, { whitelist: true, forbidUnknownValues: false }), `${this.field}[${i}]`));
      return inst;
    });
    if (details.length) throw validationFailed(details);
    return out;
  }
}
