import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { BatchedCounter, BatchedHistogram } from './batched-metrics.js';

/** The gateway's Prometheus metrics, in a registry of their own (one per gateway instance). */
export interface GatewayMetrics {
  readonly registry: Registry;
  readonly socketsConnected: Gauge;
  readonly connections: Counter;
  readonly authRefusals: Counter<'code'>;
  // Touched on every routed envelope: batched between scrapes (same values, less work).
  readonly envelopesReceived: BatchedCounter<'source'>;
  readonly envelopesDelivered: BatchedCounter<'action'>;
  readonly envelopesRejected: Counter<'code' | 'source'>;
  readonly emitFanout: BatchedHistogram;
  readonly socketWrites: BatchedCounter<'path'>;
  readonly deliveryLatency: BatchedHistogram;
  readonly busReconnects: Counter;
  readonly busResubscribes: Counter;
  readonly busGapSeconds: Counter;
  readonly busSubscribed: Gauge;
  readonly httpPublish: Counter<'status'>;
  readonly streamReady: Gauge;
  readonly streamLagEntries: Gauge;
  readonly streamLagSeconds: Gauge;
  readonly streamEntriesMissed: Counter;
  readonly streamTrimmed: Counter;
  readonly historyEntries: Gauge;
  readonly historyBytes: Gauge;
  readonly syncs: BatchedCounter<'result'>;
  readonly resyncs: Counter<'reason'>;
  readonly replayed: Counter;
  readonly slowSocketsCut: Counter;
  readonly connectionRefusals: Counter<'reason'>;
  readonly clientEvents: Counter<'action' | 'outcome'>;
  readonly clientEventSocketsCut: Counter;
}

/** What the history gauges read at scrape time. */
export interface HistorySize {
  readonly size: number;
  readonly bytes: number;
}

/**
 * Creates the metrics. `lastBusMessageAt` is read at scrape time for
 * `postbode_bus_last_message_age_seconds`.
 */
export function createMetrics(
  lastBusMessageAt: () => number | undefined,
  history: () => HistorySize | undefined = () => undefined,
): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  new Gauge({
    name: 'postbode_bus_last_message_age_seconds',
    // With --workers (the primary sums series unless told): the last message any worker got.
    aggregator: 'min',
    help: 'Seconds since the last message arrived from the bus (-1: none yet).',
    registers,
    collect() {
      const at = lastBusMessageAt();
      this.set(at === undefined ? -1 : (Date.now() - at) / 1000);
    },
  });
  return {
    registry,
    socketsConnected: new Gauge({
      name: 'postbode_sockets_connected',
      help: 'Sockets connected now.',
      registers,
    }),
    connections: new Counter({
      name: 'postbode_connections_total',
      help: 'Sockets accepted (authenticated) since start.',
      registers,
    }),
    authRefusals: new Counter({
      name: 'postbode_auth_refusals_total',
      help: 'Connections refused at the handshake, by error code.',
      labelNames: ['code'],
      registers,
    }),
    envelopesReceived: new BatchedCounter({
      name: 'postbode_envelopes_received_total',
      help: 'Envelopes received at the edge, by source (redis, http).',
      labelNames: ['source'],
      registers,
    }),
    envelopesDelivered: new BatchedCounter({
      name: 'postbode_envelopes_delivered_total',
      help: 'Envelopes validated and emitted to their rooms, by action.',
      labelNames: ['action'],
      registers,
    }),
    envelopesRejected: new Counter({
      name: 'postbode_envelopes_rejected_total',
      help: 'Envelopes rejected, by error code and source.',
      labelNames: ['code', 'source'],
      registers,
    }),
    emitFanout: new BatchedHistogram({
      name: 'postbode_emit_fanout_sockets',
      help: 'Sockets on this node that one delivered envelope reached.',
      buckets: [0, 1, 2, 5, 10, 100, 1000, 10000, 100000],
      registers,
    }),
    socketWrites: new BatchedCounter({
      name: 'postbode_socket_writes_total',
      help: 'Messages written to sockets (deliveries, replays, postbode:sync), by path: direct (the pre-encoded WebSocket frame) or engine (socket.io and engine.io).',
      labelNames: ['path'],
      registers,
    }),
    deliveryLatency: new BatchedHistogram({
      name: 'postbode_delivery_latency_seconds',
      help: 'From the envelope ts (publish time) to emit on this node, for envelopes that carry ts.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    }),
    busReconnects: new Counter({
      name: 'postbode_bus_reconnects_total',
      help: 'Times the Redis subscriber connection was lost and reconnected.',
      registers,
    }),
    busResubscribes: new Counter({
      name: 'postbode_bus_resubscribes_total',
      help: 'Times the subscription was re-established after being lost; messages published in between were lost.',
      registers,
    }),
    busGapSeconds: new Counter({
      name: 'postbode_bus_gap_seconds_total',
      help: 'Seconds, summed, during which the bus was not subscribed after the first subscription (messages lost).',
      registers,
    }),
    busSubscribed: new Gauge({
      name: 'postbode_bus_subscribed',
      // With --workers: 1 only when every worker is (the primary sums series unless told).
      aggregator: 'min',
      help: '1 while the bus is subscribed (ready), 0 otherwise.',
      registers,
    }),
    httpPublish: new Counter({
      name: 'postbode_http_publish_requests_total',
      help: 'POST /publish requests, by HTTP status.',
      labelNames: ['status'],
      registers,
    }),
    streamReady: new Gauge({
      name: 'postbode_stream_ready',
      // With --workers: 1 only when every worker is (the primary sums series unless told).
      aggregator: 'min',
      help: '1 while the durable stream is backfilled and being read, 0 otherwise.',
      registers,
    }),
    streamLagEntries: new Gauge({
      name: 'postbode_stream_lag_entries',
      // With --workers: the worker furthest behind.
      aggregator: 'max',
      help: 'Stream entries added that this node has not read yet.',
      registers,
    }),
    streamLagSeconds: new Gauge({
      name: 'postbode_stream_lag_seconds',
      // With --workers: the worker furthest behind.
      aggregator: 'max',
      help: 'Age of the newest stream entry this node has read while it is behind (0 when caught up).',
      registers,
    }),
    streamEntriesMissed: new Counter({
      name: 'postbode_stream_entries_missed_total',
      help: 'Stream entries removed before this node read them (its sockets were told to resynchronise).',
      registers,
    }),
    streamTrimmed: new Counter({
      name: 'postbode_stream_trimmed_total',
      help: 'Stream entries this node trimmed (retention and entry cap).',
      registers,
    }),
    historyEntries: new Gauge({
      name: 'postbode_history_retained_messages',
      // With --workers: every worker retains the same messages; bytes are summed (memory).
      aggregator: 'max',
      help: 'Durable messages retained in memory for recovery.',
      registers,
      collect() {
        this.set(history()?.size ?? 0);
      },
    }),
    historyBytes: new Gauge({
      name: 'postbode_history_retained_bytes',
      help: 'Envelope bytes of the durable messages retained in memory for recovery.',
      registers,
      collect() {
        this.set(history()?.bytes ?? 0);
      },
    }),
    syncs: new BatchedCounter({
      name: 'postbode_syncs_total',
      help: 'postbode:sync answers on connect, by result: recovered, or the reason it was not.',
      labelNames: ['result'],
      registers,
    }),
    resyncs: new Counter({
      name: 'postbode_resyncs_total',
      help: 'postbode:sync { recovered: false } sent to connected sockets because history was lost, by reason.',
      labelNames: ['reason'],
      registers,
    }),
    slowSocketsCut: new Counter({
      name: 'postbode_slow_sockets_cut_total',
      help: 'Connections cut because more than POSTBODE_MAX_SOCKET_BUFFER_BYTES waited to be sent to them.',
      registers,
    }),
    replayed: new Counter({
      name: 'postbode_replayed_messages_total',
      help: 'Messages replayed to resuming sockets.',
      registers,
    }),
    connectionRefusals: new Counter({
      name: 'postbode_connection_refusals_total',
      help: 'Connections and sockets refused by a limit, by reason: second_socket (a further CONNECT on a connection that has a socket), user_limit, address_limit, handshake_rate.',
      labelNames: ['reason'],
      registers,
    }),
    clientEvents: new Counter({
      name: 'postbode_client_events_total',
      help: 'Client events (postbode:event) answered, by action and outcome (ok or an error code).',
      labelNames: ['action', 'outcome'],
      registers,
    }),
    clientEventSocketsCut: new Counter({
      name: 'postbode_client_event_sockets_cut_total',
      help: 'Sockets disconnected for sending client events past their limits.',
      registers,
    }),
  };
}
