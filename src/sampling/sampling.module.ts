import { Module } from '@nestjs/common';

/** Neighbour sampling, random walks, social overlap and snapshot export. */
@Module({})
export class SamplingModule {}
