import { Controller, Get, Header, NotFoundException, Param, Res, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { createReadStream } from 'node:fs';
import { fromRoot } from '../common/repo-root';
import { listAssets } from './explorer-assets';

/** Where `npm run build` puts the bundle (explorer/vite.config.mts). */
export const EXPLORER_DIR = 'dist/explorer';

/**
 * The web explorer at /explore (docs/explorer.md). The files are public and hold no data: the page asks
 * for the admin token and sends it with every GraphQL call, where AccessGuard checks it. The Neo4j
 * Browser guide under /explore/guide/ may be fetched from another origin (Neo4j Browser's `:play`).
 */
@Controller('explore')
export class ExplorerController {
  private readonly assets = listAssets(fromRoot(EXPLORER_DIR));

  @Get()
  @Header('cache-control', 'no-store')
  @Header(
    'content-security-policy',
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  )
  @Header('referrer-policy', 'no-referrer')
  @Header('x-content-type-options', 'nosniff')
  page(@Res() res: FastifyReply): void {
    this.send(res, 'index.html');
  }

  @Get('assets/:file')
  @Header('cache-control', 'public, max-age=31536000, immutable')
  @Header('x-content-type-options', 'nosniff')
  asset(@Param('file') file: string, @Res() res: FastifyReply): void {
    this.send(res, `assets/${file}`);
  }

  @Get('guide/:file')
  @Header('cache-control', 'no-cache')
  @Header('access-control-allow-origin', '*')
  guide(@Param('file') file: string, @Res() res: FastifyReply): void {
    this.send(res, `guide/${file}`);
  }

  private send(res: FastifyReply, name: string): void {
    if (!this.assets.size) throw new ServiceUnavailableException('The explorer is not built: run `npm run build`');
    const asset = this.assets.get(name);
    if (!asset) throw new NotFoundException();
    void res.type(asset.type).send(createReadStream(asset.path));
  }
}
