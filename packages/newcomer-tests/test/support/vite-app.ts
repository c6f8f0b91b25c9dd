import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize } from 'node:path';
import type { ReadmeExample } from './readme-examples.js';

/**
 * What the fixture app installs from the npm registry, pinned. The compiler settings come from
 * the official `create-vite` vue-ts template (below) and `@vue/tsconfig`, which it extends.
 */
export const REGISTRY_PACKAGES = {
  dependencies: { vue: '3.5.45', vuex: '4.1.0', pinia: '3.0.4' },
  devDependencies: {
    '@vitejs/plugin-vue': '6.0.11',
    '@vue/tsconfig': '0.9.1',
    typescript: '5.9.3',
    vite: '7.3.8',
    'vue-tsc': '3.3.14',
  },
} as const;

/**
 * `tsconfig.app.json` of create-vite's `template-vue-ts` (vitejs/vite,
 * packages/create-vite/template-vue-ts): `@vue/tsconfig/tsconfig.dom.json` (strict,
 * `verbatimModuleSyntax`, `moduleResolution: "bundler"`, ...) plus its linting options.
 */
const TEMPLATE_TSCONFIG_APP = {
  extends: '@vue/tsconfig/tsconfig.dom.json',
  compilerOptions: {
    tsBuildInfoFile: './node_modules/.tmp/tsconfig.app.tsbuildinfo',
    types: ['vite/client'],
    allowArbitraryExtensions: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    erasableSyntaxOnly: true,
    noFallthroughCasesInSwitch: true,
  },
  include: ['src/**/*.ts', 'src/**/*.tsx', 'src/**/*.vue'],
};

/** The template's `tsconfig.node.json` (for `vite.config.ts`), without `@types/node`. */
const TEMPLATE_TSCONFIG_NODE = {
  compilerOptions: {
    tsBuildInfoFile: './node_modules/.tmp/tsconfig.node.tsbuildinfo',
    target: 'ES2023',
    lib: ['ES2023'],
    module: 'ESNext',
    skipLibCheck: true,
    moduleResolution: 'bundler',
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    moduleDetection: 'force',
    noEmit: true,
    strict: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    erasableSyntaxOnly: true,
    noFallthroughCasesInSwitch: true,
    noUncheckedSideEffectImports: true,
  },
  include: ['vite.config.ts'],
};

/**
 * The fixture's own page: what the README leaves to the app (showing the state). It reads the
 * Vuex store, the Pinia store and renders the README's component.
 */
const APP_VUE = `<script setup lang="ts">
import { computed } from 'vue';
import { useChatStore } from './chat-store';
import Announcements from './components/Announcements.vue';
import { store } from './store';

interface ShownState {
  chat: { messages: { body: string }[] };
  realtime: { status: string; lastError: { code: string } | null };
}
const state = store.state as unknown as ShownState;
const vuexBodies = computed(() => state.chat.messages.map((m) => m.body));
const chat = useChatStore();
</script>

<template>
  <p data-testid="vuex-status" :data-status="state.realtime.status">{{ state.realtime.status }}</p>
  <ul data-testid="vuex">
    <li v-for="(body, i) in vuexBodies" :key="i">{{ body }}</li>
  </ul>
  <ul data-testid="pinia">
    <li v-for="m in chat.messages" :key="m.messageId">{{ m.body }}</li>
  </ul>
  <section data-testid="composable"><Announcements /></section>
</template>
`;

/** Writes a fresh Vite + Vue 3 + TypeScript app made of the README's examples into `dir`. */
export async function writeViteApp(
  dir: string,
  options: {
    examples: ReadmeExample[];
    tsconfigApp: ReadmeExample;
    tarballs: Record<string, string>;
    env: Record<string, string>;
  },
): Promise<void> {
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify(
      {
        name: 'newcomer-vite-app',
        private: true,
        version: '0.0.0',
        type: 'module',
        scripts: { build: 'vue-tsc -b && vite build' },
        dependencies: {
          ...Object.fromEntries(
            Object.entries(options.tarballs).map(([name, file]) => [name, `file:${file}`]),
          ),
          ...REGISTRY_PACKAGES.dependencies,
        },
        devDependencies: REGISTRY_PACKAGES.devDependencies,
      },
      null,
      2,
    )}\n`,
    'index.html':
      '<!doctype html>\n<html lang="en">\n  <head><meta charset="UTF-8" /><title>newcomer</title></head>\n  <body>\n    <div id="app"></div>\n    <script type="module" src="/src/main.ts"></script>\n  </body>\n</html>\n',
    'vite.config.ts':
      "import vue from '@vitejs/plugin-vue';\nimport { defineConfig } from 'vite';\n\nexport default defineConfig({\n  plugins: [vue()],\n});\n",
    'tsconfig.json': `${JSON.stringify({ files: [], references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.node.json' }] }, null, 2)}\n`,
    'tsconfig.app.json': `${JSON.stringify(mergeTsconfig(TEMPLATE_TSCONFIG_APP, options.tsconfigApp), null, 2)}\n`,
    'tsconfig.node.json': `${JSON.stringify(TEMPLATE_TSCONFIG_NODE, null, 2)}\n`,
    '.env': Object.entries(options.env)
      .map(([key, value]) => `${key}=${value}\n`)
      .join(''),
    'src/App.vue': APP_VUE,
  };
  for (const e of options.examples) files[e.target] = e.code;
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

/** The template's tsconfig with the README's `compilerOptions` added (e.g. the vuex `paths`). */
function mergeTsconfig(
  template: typeof TEMPLATE_TSCONFIG_APP,
  addition: ReadmeExample,
): Record<string, unknown> {
  const added = JSON.parse(addition.code) as { compilerOptions?: Record<string, unknown> };
  return {
    ...template,
    compilerOptions: { ...template.compilerOptions, ...added.compilerOptions },
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/**
 * Serves a built app (`dist/`) on 127.0.0.1, with the two endpoints the README's examples call
 * on the app's own backend: `/api/realtime-token` and `/api/messages`.
 */
export async function serveApp(
  distDir: string,
  port: number,
  token: () => Promise<string>,
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api/realtime-token') {
      token().then(
        (t) => res.writeHead(200, { 'content-type': 'text/plain' }).end(t),
        () => res.writeHead(500).end(),
      );
      return;
    }
    if (path === '/api/messages') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      return;
    }
    const file = join(distDir, normalize(path === '/' ? '/index.html' : path));
    if (!file.startsWith(distDir)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) =>
        res
          .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
          .end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** The port a server listens on. */
export const portOf = (server: Server): number => (server.address() as AddressInfo).port;
