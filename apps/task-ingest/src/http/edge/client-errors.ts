import type { Server } from 'node:http';
import { ErrorCodes, TaskRouterError } from '@taskrouter/contract';
import type { Socket } from 'node:net';

/**
 * Requests Node's HTTP parser refuses before any handler runs (headers over 16 KB, a malformed
 * request line or header, a bad Content-Length): Node would answer a bare `400` or `431` with no
 * body. These answers carry TaskRouter's error body, like every other refusal.
 */
export function answerClientErrorsInTaskRouterShape(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const message = { 431: 'Request header fields too large', 408: 'Request timeout', 400: 'Malformed HTTP request' }[status];
    const code = status === 431 ? ErrorCodes.tooLarge : ErrorCodes.invalidParameter;
    const body = JSON.stringify(new TaskRouterError(status, code, message).toBody());
    const head = [`HTTP/1.1 ${status} ${message}`, 'Content-Type: application/json; charset=utf-8'];
    head.push(`Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close');
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  });
}
