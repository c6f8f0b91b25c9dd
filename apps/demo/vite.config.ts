import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// The page is built to dist/web and served by whichever stand-in backend runs (Node or PHP).
export default defineConfig({
  root: 'web',
  plugins: [vue()],
  build: { outDir: '../dist/web', emptyOutDir: true, target: 'es2022' },
});
