import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthService } from './health.service';

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok'; uptimeS: number } {
    return { status: 'ok', uptimeS: Math.round(process.uptime()) };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: FastifyReply) {
    const result = await this.health.readiness();
    res.code(result.ready ? 200 : 503);
    return { status: result.ready ? 'ready' : 'unavailable', ...result };
  }
}
