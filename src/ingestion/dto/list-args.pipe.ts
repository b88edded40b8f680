import { PipeTransform } from '@nestjs/common';
import { badInput, ErrorDetail } from '../../common/errors/domain-error';
import { validationFailed } from '../../common/validation.pipe';
import { BATCH_MAX, idProblem } from '../limits';

/** Rejects a list argument longer than `max` (BATCH_TOO_LARGE) before its entries are validated. */
export class BoundedList implements PipeTransform<unknown, unknown> {
  constructor(
    private readonly field: string,
    private readonly max = BATCH_MAX,
  ) {}
  transform(value: unknown): unknown {
    if (Array.isArray(value) && value.length > this.max) {
      throw badInput('BATCH_TOO_LARGE', `at most ${this.max} ${this.field} per call, got ${value.length}`, [
        { field: this.field, message: `at most ${this.max} entries, got ${value.length}` },
      ]);
    }
    return value;
  }
}

/** Validates a list of ids (`ids[3]: ...`). */
export class ValidIds implements PipeTransform<unknown, string[]> {
  constructor(private readonly field: string) {}
  transform(value: unknown): string[] {
    if (!Array.isArray(value)) throw validationFailed([{ field: this.field, message: 'must be a list' }]);
    const details: ErrorDetail[] = [];
    value.forEach((id, i) => {
      const p = idProblem(id);
      if (p) details.push({ field: `${this.field}[${i}]`, message: p });
    });
    if (details.length) throw validationFailed(details);
    return value as string[];
  }
}
