/**
 * The two load generators, chosen per `connect`: the bare-`ws` Engine.IO client (`ws`, every
 * target, the one every scenario uses) and the official socket.io-client (`socket.io-client`,
 * socket.io 4 targets with token joins; the connection storm and the throughput scenario run
 * with it too, so their figures are confirmed by a second, independent client).
 */
export type LoadGenerator = 'ws' | 'socket.io-client';
