import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RequireAccess } from '../auth/access.decorator';
import { FirstArg, PAGE_MAX } from '../common/pagination/page-size';
import { batchListCost, pageCost } from '../common/query-cost';
import { ValidateEach } from '../common/validation.pipe';
import { UserInput } from './dto/user.input';
import { BoundedList } from './dto/list-args.pipe';
import { BATCH_MAX } from './limits';
import { FriendConnectionType, InteractionConnectionType } from './types/connection.type';
import { DeleteUserPayload } from './types/payloads.type';
import { UserType } from './types/user.type';
import { UsersService } from './users.service';

/** Lists cost their page size times their children. */
const pageComplexity = pageCost(PAGE_MAX);

@Resolver(() => UserType)
export class UsersResolver {
  constructor(private readonly users: UsersService) {}

  @Mutation(() => [UserType], {
    complexity: batchListCost('users', BATCH_MAX),
    description: 'Creates users or updates their name and attributes; one transaction for the whole batch.',
  })
  @RequireAccess('write')
  upsertUsers(
    @Args('users', { type: () => [UserInput] }, new BoundedList('users'), new ValidateEach(UserInput, 'users')) users: UserInput[],
  ): Promise<UserType[]> {
    return this.users.upsert(users);
  }

  @Query(() => UserType, { description: 'A user by external id; NOT_FOUND when absent.' })
  @RequireAccess('read')
  user(@Args('id', { type: () => ID }) id: string): Promise<UserType> {
    return this.users.get(id);
  }

  @Mutation(() => DeleteUserPayload, {
    description:
      'Deletes a user with every edge it has (interactions, friendships, follows) and tombstones the id: no model version, rollback or later training serves or uses them (docs/graph-model.md). NOT_FOUND when absent.',
  })
  @RequireAccess('delete')
  deleteUser(@Args('id', { type: () => ID }) id: string): Promise<DeleteUserPayload> {
    return this.users.delete(id);
  }

  @ResolveField(() => InteractionConnectionType, {
    complexity: pageComplexity,
    description: `The user's interactions by item id; first 1..${PAGE_MAX}.`,
  })
  @RequireAccess('read')
  interactions(
    @Parent() user: UserType,
    @FirstArg() first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<InteractionConnectionType> {
    return this.users.interactions(user.id, first, after);
  }

  @ResolveField(() => FriendConnectionType, { complexity: pageComplexity, description: `The user's friends by id; first 1..${PAGE_MAX}.` })
  @RequireAccess('read')
  friends(
    @Parent() user: UserType,
    @FirstArg() first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<FriendConnectionType> {
    return this.users.friends(user.id, first, after);
  }
}
