// `npm start`: serve the production build (built just before by the npm script) on a fixed port.
import { preview } from 'vite';

const port = Number(process.env.PORT ?? 4173);
const host = process.env.HOST ?? '127.0.0.1';
const server = await preview({ preview: { port, strictPort: true, host, open: Boolean(process.env.DISPLAY) && !process.env.CI } });
console.log(`\n  kafkasim visualizer: http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/\n  (Ctrl+C to stop)\n`);
const stop = () => server.httpServer.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
