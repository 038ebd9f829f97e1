// `npm start`: serve the production build (built just before by the npm script) on a fixed port
// (PORT, default 4173). A busy port is said in one line, with the way out, instead of a stack trace.
import { createServer } from 'node:net';
import { preview } from 'vite';

const port = Number(process.env.PORT ?? 4173);
const host = process.env.HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`kafkasim visualizer: PORT must be a port number (1-65535), got "${process.env.PORT}"`);
  process.exit(2);
}

/** Whether something already listens on host:port (vite's own error for it is a stack trace). */
const busy = () => new Promise((resolve) => {
  const probe = createServer();
  probe.once('error', (e) => resolve(e.code === 'EADDRINUSE' ? true : false));
  probe.once('listening', () => probe.close(() => resolve(false)));
  probe.listen(port, host);
});

if (await busy()) {
  console.error(`kafkasim visualizer: port ${port} on ${host} is already in use (another npm start?); choose another with PORT=${port + 1} npm start`);
  process.exit(1);
}
const server = await preview({ preview: { port, strictPort: true, host, open: Boolean(process.env.DISPLAY) && !process.env.CI }, logLevel: 'warn' });
console.log(`\n  kafkasim visualizer: http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/\n  (Ctrl+C to stop)\n`);
const stop = () => server.httpServer.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
