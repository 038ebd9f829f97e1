// `npm start`: build the visualizer and serve it on a fixed port (PORT, default 4173; HOST, default
// 127.0.0.1). The port is checked before the build, and a busy one is said in one line instead of
// vite's stack trace: when it is this visualizer already running, that is where to go (exit 0);
// anything else holding the port is an error (exit 1).
import { createServer } from 'node:net';
import { build, preview } from 'vite';

const port = Number(process.env.PORT ?? 4173);
const host = process.env.HOST ?? '127.0.0.1';
const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`;
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`kafkasim visualizer: PORT must be a port number (1-65535), got "${process.env.PORT}"`);
  process.exit(2);
}

/** Whether something already listens on host:port. */
const busy = () => new Promise((resolve) => {
  const probe = createServer();
  probe.once('error', (e) => resolve(e.code === 'EADDRINUSE'));
  probe.once('listening', () => probe.close(() => resolve(false)));
  probe.listen(port, host);
});

/** Whether what listens there is this visualizer (its page's title). */
const isVisualizer = async () => {
  try {
    const page = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return (await page.text()).includes('<title>kafkasim visualizer</title>');
  } catch {
    return false;
  }
};

if (await busy()) {
  if (await isVisualizer()) {
    console.log(`kafkasim visualizer: already running at ${url} (for a second one: PORT=${port + 1} npm start)`);
    process.exit(0);
  }
  console.error(`kafkasim visualizer: port ${port} on ${host} is in use by another program; choose another with PORT=${port + 1} npm start`);
  process.exit(1);
}
await build({ logLevel: 'warn' });
const server = await preview({ preview: { port, strictPort: true, host, open: Boolean(process.env.DISPLAY) && !process.env.CI }, logLevel: 'warn' });
console.log(`\n  kafkasim visualizer: ${url}\n  (Ctrl+C to stop)\n`);
const stop = () => server.httpServer.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
