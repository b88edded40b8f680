import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { GRAPHIQL_ASSETS } from './graphiql.assets';

/** Serves GraphiQL's script and style files (whitelisted, from node_modules) for the offline landing page. */
@Controller('graphiql/assets')
export class GraphiqlController {
  @Get(':file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    const asset = Object.hasOwn(GRAPHIQL_ASSETS, file) ? GRAPHIQL_ASSETS[file] : undefined;
    if (!asset) throw new NotFoundException();
    res.type(asset.type).setHeader('cache-control', 'public, max-age=86400');
    res.sendFile(asset.path);
  }
}
