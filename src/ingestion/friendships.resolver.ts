import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { RequireAccess } from '../auth/access.decorator';
import { batchCost } from '../common/query-cost';
import { ValidateEach } from '../common/validation.pipe';
import { FriendshipInput, FriendshipPairInput } from './dto/friendship.input';
import { BoundedList } from './dto/list-args.pipe';
import { FriendshipsService } from './friendships.service';
import { BATCH_MAX } from './limits';
import { AddFriendshipsPayload, RemoveFriendshipsPayload } from './types/payloads.type';

@Resolver()
export class FriendshipsResolver {
  constructor(private readonly friendships: FriendshipsService) {}

  @Mutation(() => AddFriendshipsPayload, {
    complexity: batchCost('pairs', BATCH_MAX),
    description: 'Adds friendships (one edge per unordered pair) in one transaction; both users must exist; repeated pairs are merged.',
  })
  @RequireAccess('write')
  addFriendships(
    @Args(
      'pairs',
      { type: () => [FriendshipInput], description: `1..${BATCH_MAX} pairs; unknown users: BAD_USER_INPUT UNKNOWN_IDS.` },
      new BoundedList('pairs'),
      new ValidateEach(FriendshipInput, 'pairs'),
    )
    pairs: FriendshipInput[],
  ): Promise<AddFriendshipsPayload> {
    return this.friendships.add(pairs);
  }

  @Mutation(() => RemoveFriendshipsPayload, {
    complexity: batchCost('pairs', BATCH_MAX),
    description: 'Removes friendships; pairs that are not friends are counted in notFound.',
  })
  @RequireAccess('write')
  removeFriendships(
    @Args(
      'pairs',
      { type: () => [FriendshipPairInput], description: `1..${BATCH_MAX} pairs.` },
      new BoundedList('pairs'),
      new ValidateEach(FriendshipPairInput, 'pairs'),
    )
    pairs: FriendshipPairInput[],
  ): Promise<RemoveFriendshipsPayload> {
    return this.friendships.remove(pairs);
  }
}
