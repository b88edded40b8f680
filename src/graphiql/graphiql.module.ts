import { Module } from '@nestjs/common';
import { GraphiqlController } from './graphiql.controller';

@Module({ controllers: [GraphiqlController] })
export class GraphiqlModule {}
