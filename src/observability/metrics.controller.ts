import { Controller, Get, Headers, HttpException, Inject, NotFoundException, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { presentedToken, secretMatches } from '../auth/auth';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { Telemetry } from './telemetry';

/**
 * GET /metrics on the API port: Prometheus text, for the admin token only (bearer, or Basic auth's
 * password) like the job dashboard. METRICS_PORT serves the same text without a token on its own
 * port (metrics-server.ts), for a scraper on a private network.
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly telemetry: Telemetry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<string> {
    const metrics = this.telemetry.metrics;
    if (!metrics) throw new NotFoundException('metrics are off (METRICS_ENABLED=false)');
    const token = presentedToken(authorization);
    if (!token || !this.config.ADMIN_TOKEN || !secretMatches(token, this.config.ADMIN_TOKEN)) {
      res.header('WWW-Authenticate', 'Bearer realm="TasteGraph admin"');
      throw new HttpException({ error: token ? 'FORBIDDEN' : 'UNAUTHENTICATED' }, token ? 403 : 401);
    }
    const { contentType, body } = await metrics.text();
    res.header('content-type', contentType);
    return body;
  }
}
