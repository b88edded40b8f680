import { Field, Float, GraphQLISODateTime, ID, InputType } from '@nestjs/graphql';
import { IsDate, IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ID_MAX, ID_PATTERN, WEIGHT_MAX } from '../limits';

const idMessage = { message: 'must be printable characters without leading or trailing spaces' };

@InputType('InteractionInput', { description: 'One event; events of the same (user, item) pair merge into one INTERACTED edge.' })
export class InteractionInput {
  @Field(() => ID, { description: 'The user (must exist unless createMissing).' })
  @IsString()
  @Length(1, ID_MAX)
  @Matches(ID_PATTERN, idMessage)
  userId!: string;

  @Field(() => ID, { description: 'The item (must exist unless createMissing).' })
  @IsString()
  @Length(1, ID_MAX)
  @Matches(ID_PATTERN, idMessage)
  itemId!: string;

  @Field(() => String, { description: 'An event type from INGEST_EVENT_WEIGHTS, e.g. VIEW, LIKE, PLAY, RATING.' })
  @IsString()
  @Length(1, 64)
  type!: string;

  @Field(() => Float, {
    nullable: true,
    description: `Overrides the configured weight of the type; required for value types (RATING). 0..${WEIGHT_MAX}.`,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: `must be finite and >= 0 and <= ${WEIGHT_MAX}` })
  @Min(0, { message: `must be finite and >= 0 and <= ${WEIGHT_MAX}` })
  @Max(WEIGHT_MAX, { message: `must be finite and >= 0 and <= ${WEIGHT_MAX}` })
  weight?: number;

  @Field(() => ID, {
    nullable: true,
    description:
      "The client's unique id for this event (exactly-once): an event whose id was recorded before counts nothing, so a batch can be retried safely. Kept RETENTION_EVENT_DAYS.",
  })
  @IsOptional()
  @IsString()
  @Length(1, ID_MAX)
  @Matches(ID_PATTERN, idMessage)
  eventId?: string;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When it happened; defaults to the server time. Not before 1970, not beyond INGEST_MAX_FUTURE_S ahead.',
  })
  @IsOptional()
  @IsDate()
  ts?: Date;
}
