import { Simulation, type SimulationOptions } from '../simulation';
import type { Behavior, NetworkConfig } from '../types';

/** A toy protocol for the engine's tests: a pinger retries each ping until a pong comes back. */
interface PingerDisk { acked: number[] }
interface PingerMemory { next: number; inFlight: number | null; retryTimer: number }

export const pinger = (peer: string, total: number): Behavior<PingerDisk, PingerMemory> => ({
  kind: 'pinger',
  createDurable: () => ({ acked: [] }),
  boot(disk, ctx) {
    const memory = { next: disk.acked.length, inFlight: null, retryTimer: 0 };
    ctx.setTimer(1, 'tick');
    return memory;
  },
  handle(state, event, ctx) {
    const mem = state.volatile;
    const sendPing = () => {
      mem.inFlight = mem.next;
      ctx.send(peer, { type: 'ping', n: mem.next });
      mem.retryTimer = ctx.setTimer(20 + ctx.rng.int(0, 5), 'retry');
    };
    if (event.type === 'timer' && event.name === 'tick' && mem.next < total) sendPing();
    if (event.type === 'timer' && event.name === 'retry' && mem.inFlight !== null) {
      ctx.record('retry', { n: mem.inFlight });
      sendPing();
    }
    if (event.type === 'message' && event.payload.type === 'pong' && event.payload.n === mem.inFlight) {
      ctx.cancelTimer(mem.retryTimer);
      state.durable.acked.push(mem.inFlight as number);
      ctx.record('acked', { n: mem.inFlight });
      mem.inFlight = null;
      mem.next += 1;
      if (mem.next < total) ctx.setTimer(1, 'tick');
    }
  },
});

export const ponger: Behavior<{ seen: number }, null> = {
  kind: 'ponger',
  createDurable: () => ({ seen: 0 }),
  boot: () => null,
  handle(state, event, ctx) {
    if (event.type === 'message' && event.payload.type === 'ping') {
      state.durable.seen += 1;
      ctx.send(event.from, { type: 'pong', n: event.payload.n });
    }
  },
};

export function pingPongSimulation(
  seed: number | string, network: Partial<NetworkConfig> = { drop: 0.2 }, pings = 200, trace: Pick<SimulationOptions, 'trace' | 'tracePayloads' | 'traceSink' | 'factSink'> = {},
): Simulation {
  const sim = new Simulation({ seed, network, ...trace });
  sim.addNode('a', pinger('b', pings));
  sim.addNode('b', ponger);
  sim.schedule(100, { type: 'partition', id: 'p1', sideA: ['a'], sideB: ['b'] });
  sim.schedule(180, { type: 'heal', id: 'p1' });
  sim.schedule(250, { type: 'crash', node: 'a' });
  sim.schedule(300, { type: 'restart', node: 'a' });
  sim.schedule(400, { type: 'pause', node: 'b', durationMs: 50 });
  return sim;
}
