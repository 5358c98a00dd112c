import type { NestExpressApplication } from '@nestjs/platform-express';
import { refuseUnsupportedBodies, FORM_MEDIA_TYPE } from './body-gate';
import { answerClientErrorsInTaskRouterShape } from './client-errors';
import { decodeAtTheEdge } from './edge-decoding';

/**
 * The request pipeline in front of every controller, in order: refuse bodies TaskRouter does
 * not take (415), read a form body up to `maxBody` (413, answered before authentication, which
 * the guards do later), then decode and bound the path, query and body (400/413). Errors go
 * through Nest's error handler to TaskRouterExceptionFilter, so all come out in one shape.
 */
export function installEdge(app: NestExpressApplication, options: { maxBody: string; publicUrl: string }): void {
  app.setLocal('publicUrl', options.publicUrl);
  app.use(refuseUnsupportedBodies);
  // Raw bytes, not body-parser's urlencoded reader: that one turns bad UTF-8 into U+FFFD.
  app.useBodyParser('raw', { type: FORM_MEDIA_TYPE, limit: options.maxBody, inflate: false });
  app.use(decodeAtTheEdge);
  answerClientErrorsInTaskRouterShape(app.getHttpServer());
}
