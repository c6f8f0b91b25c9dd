import { describe, expect, it } from 'vitest';
import * as sdk from '../src/index.js';
import * as pinia from '../src/pinia.js';
import * as vue from '../src/vue.js';
import * as vuex from '../src/vuex.js';

// The subject here is the public entries themselves, so this file imports them, not modules.
describe('the public entries export what the README documents, and nothing else', () => {
  it.each([
    [
      '@postbode/client-sdk',
      sdk,
      [
        'CONNECTION_STATUSES',
        'createRealtimeClient',
        'DEFAULT_REALTIME_CLIENT_OPTIONS',
        'RealtimeError',
        'silentLogger',
      ],
    ],
    ['@postbode/client-sdk/vuex', vuex, ['createVuexPlugin', 'DEFAULT_VUEX_PLUGIN_OPTIONS']],
    [
      '@postbode/client-sdk/pinia',
      pinia,
      ['bindPiniaStore', 'DEFAULT_REALTIME_STORE_OPTIONS', 'defineRealtimeStore'],
    ],
    [
      '@postbode/client-sdk/vue',
      vue,
      ['provideRealtime', 'REALTIME_CLIENT_KEY', 'realtimeVuePlugin', 'useRealtime'],
    ],
  ])('%s', (_entry, module, names) => {
    expect(Object.keys(module).sort()).toEqual([...names].sort());
  });
});
