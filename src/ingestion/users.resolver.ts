import { Args, Context, GraphQLISODateTime, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import GraphQLJSON from '../common/json.scalar';
import { notFound } from '../common/errors/domain-error';
import { RequireAccess } from '../auth/access.decorator';
import { AfterArg, FirstArg, PAGE_MAX } from '../common/pagination/page-size';
import { batchListCost, pageCost } from '../common/query-cost';
import { ValidateEach } from '../common/validation.pipe';
import { UserInput } from './dto/user.input';
import { BoundedList } from './dto/list-args.pipe';
import { BATCH_MAX } from './limits';
import { FriendConnectionType, InteractionConnectionType } from './types/connection.type';
import { DeleteUserPayload } from './types/payloads.type';
import { UserType } from './types/user.type';
import { UsersService } from './users.service';
import { NodeDetailsLoader } from './node-details.loader';

/** Lists cost their page size times their children. */
const pageComplexity = pageCost(PAGE_MAX);

@Resolver(() => UserType)
export class UsersResolver {
  constructor(
    private readonly users: UsersService,
    private readonly details: NodeDetailsLoader,
  ) {}

  @Mutation(() => [UserType], {
    complexity: batchListCost('users', BATCH_MAX),
    description: 'Creates users or updates their name and attributes; one transaction for the whole batch.',
  })
  @RequireAccess('write')
  upsertUsers(
    @Args(
      'users',
      { type: () => [UserInput], description: `1..${BATCH_MAX} users; more: BAD_USER_INPUT BATCH_TOO_LARGE.` },
      new BoundedList('users'),
      new ValidateEach(UserInput, 'users'),
    )
    users: UserInput[],
  ): Promise<UserType[]> {
    return this.users.upsert(users);
  }

  @Query(() => UserType, { description: 'A user by external id; NOT_FOUND when absent.' })
  @RequireAccess('read')
  user(@Args('id', { type: () => ID, description: 'The external id.' }) id: string): Promise<UserType> {
    return this.users.get(id);
  }

  @Mutation(() => DeleteUserPayload, {
    description:
      'Deletes a user with every edge it has (interactions, friendships, follows) and tombstones the id: no model version, rollback or later training serves or uses them (docs/graph-model.md). NOT_FOUND when absent.',
  })
  @RequireAccess('delete')
  deleteUser(@Args('id', { type: () => ID, description: 'The external id.' }) id: string): Promise<DeleteUserPayload> {
    return this.users.delete(id);
  }

  @ResolveField(() => InteractionConnectionType, {
    complexity: pageComplexity,
    description: `The user's interactions, ordered by item id; first 1..${PAGE_MAX}.`,
  })
  @RequireAccess('read')
  interactions(@Parent() user: UserType, @FirstArg() first: number, @AfterArg() after?: string): Promise<InteractionConnectionType> {
    return this.users.interactions(user.id, first, after);
  }

  @ResolveField(() => FriendConnectionType, {
    complexity: pageComplexity,
    description: `The user's friends, ordered by friend id; first 1..${PAGE_MAX}.`,
  })
  @RequireAccess('read')
  friends(@Parent() user: UserType, @FirstArg() first: number, @AfterArg() after?: string): Promise<FriendConnectionType> {
    return this.users.friends(user.id, first, after);
  }

  @ResolveField(() => GraphQLISODateTime, { description: 'When the user was first created.' })
  @RequireAccess('read')
  async createdAt(@Parent() user: UserType, @Context() request: object): Promise<Date> {
    return user.createdAt ?? (await this.full(user.id, request)).createdAt!;
  }

  @ResolveField(() => GraphQLJSON, { description: 'The free-form JSON object given at creation or update ({} when none).' })
  @RequireAccess('read')
  async attributes(@Parent() user: UserType, @Context() request: object): Promise<Record<string, unknown>> {
    return user.attributes ?? (await this.full(user.id, request)).attributes!;
  }

  /** A referenced user's stored fields; one deleted since the reference was made is NOT_FOUND on the field. */
  private async full(id: string, request: object): Promise<UserType> {
    const found = await this.details.user(request, id);
    if (!found) throw notFound('USER_NOT_FOUND', `no user with id ${JSON.stringify(id)}`);
    return found;
  }
}
