import { Injectable } from '@nestjs/common';
import { badInput, notFound } from '../common/errors/domain-error';
import { UserInput } from './dto/user.input';
import { ATTRIBUTES_MAX_BYTES, BATCH_MAX } from './limits';
import { UserType } from './types/user.type';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async upsert(inputs: UserInput[]): Promise<UserType[]> {
    if (inputs.length === 0) return [];
    if (inputs.length > BATCH_MAX) throw badInput('BATCH_TOO_LARGE', `at most ${BATCH_MAX} users per call, got ${inputs.length}`);
    const seen = new Set<string>();
    const details = [];
    for (const [i, u] of inputs.entries()) {
      if (seen.has(u.id)) details.push({ field: `users[${i}].id`, message: `duplicate id ${JSON.stringify(u.id)} in the batch` });
      seen.add(u.id);
      if (u.attributes && Buffer.byteLength(JSON.stringify(u.attributes)) > ATTRIBUTES_MAX_BYTES) {
        details.push({ field: `users[${i}].attributes`, message: `larger than ${ATTRIBUTES_MAX_BYTES} bytes` });
      }
    }
    if (details.length) throw badInput('INVALID_USERS', `${details.length} invalid user(s): ${details.map((d) => d.field).join(', ')}`, details);
    const rows = inputs.map((u) => ({ id: u.id, name: u.name ?? null, attributesJson: u.attributes ? JSON.stringify(u.attributes) : null }));
    return this.users.upsert(rows, Date.now());
  }

  async get(id: string): Promise<UserType> {
    const user = await this.users.get(id);
    if (!user) throw notFound('USER_NOT_FOUND', `no user with id ${JSON.stringify(id)}`);
    return user;
  }
}
