import { Injectable } from '@nestjs/common';
import { GraphStatsRepository } from './graph-stats.repository';
import { GraphStatsType } from './types/payloads.type';

@Injectable()
export class GraphStatsService {
  constructor(private readonly stats: GraphStatsRepository) {}

  get(): Promise<GraphStatsType> {
    return this.stats.stats();
  }
}
