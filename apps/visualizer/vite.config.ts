import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export const PREVIEW_PORT = 4173;

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  server: { port: 5173, strictPort: true },
  preview: { port: PREVIEW_PORT, strictPort: true, host: '127.0.0.1' },
});
