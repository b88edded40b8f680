import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ValidateEach } from '../common/validation.pipe';
import { UserInput } from './dto/user.input';
import { UserType } from './types/user.type';
import { UsersService } from './users.service';

@Resolver(() => UserType)
export class UsersResolver {
  constructor(private readonly users: UsersService) {}

  @Mutation(() => [UserType], { description: 'Creates users or updates their name and attributes; one transaction for the whole batch.' })
  upsertUsers(@Args('users', { type: () => [UserInput] }, new ValidateEach(UserInput, 'users')) users: UserInput[]): Promise<UserType[]> {
    return this.users.upsert(users);
  }

  @Query(() => UserType, { description: 'A user by external id; NOT_FOUND when absent.' })
  user(@Args('id', { type: () => ID }) id: string): Promise<UserType> {
    return this.users.get(id);
  }
}
