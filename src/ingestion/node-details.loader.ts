import { Injectable } from '@nestjs/common';
import { RequestBatch } from '../common/request-batch';
import { ItemsRepository } from './items.repository';
import { ItemType } from './types/item.type';
import { UserType } from './types/user.type';
import { UsersRepository } from './users.repository';

/**
 * Items and users that another domain returns by reference (a recommendation's `item`, an
 * explanation friend's `user`) carry what serving already knows (id, title, tags; id, name). The
 * rest (createdAt, attributes) is read here only when a client selects it: one read per request for
 * all the references on the page.
 */
@Injectable()
export class NodeDetailsLoader {
  private readonly items: RequestBatch<ItemType>;
  private readonly users: RequestBatch<UserType>;

  constructor(items: ItemsRepository, users: UsersRepository) {
    this.items = new RequestBatch((ids) => items.getMany(ids));
    this.users = new RequestBatch((ids) => users.getMany(ids));
  }

  item(request: object, id: string): Promise<ItemType | undefined> {
    return this.items.load(request, id);
  }

  user(request: object, id: string): Promise<UserType | undefined> {
    return this.users.load(request, id);
  }
}
