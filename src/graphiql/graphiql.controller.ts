import { createReadStream } from 'node:fs';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GRAPHIQL_ASSETS } from './graphiql.assets';

/** Serves GraphiQL's script and style files (whitelisted, from node_modules) for the offline landing page. */
@Controller('graphiql/assets')
export class GraphiqlController {
  @Get(':file')
  asset(@Param('file') file: string, @Res() res: FastifyReply): void {
    const asset = Object.hasOwn(GRAPHIQL_ASSETS, file) ? GRAPHIQL_ASSETS[file] : undefined;
    if (!asset) throw new NotFoundException();
    void res.type(asset.type).header('cache-control', 'public, max-age=86400').send(createReadStream(asset.path));
  }
}
