/**
 * Serving Fetch on the leader (ReplicaManager.fetchMessages). A follower's fetch offset tells
 * the leader the follower's LEO: that updates its lastCaughtUpTime, may expand the ISR and may
 * advance the high watermark (and then complete parked requests), before the read. Then the fetch
 * is answered or long-polled.
 */
import type { NodeId } from '@kafkasim/engine';
import type { FetchRequest } from '../protocol';
import type { Broker } from './context';
import { replicaEpochError } from './fetchRead';
import { afterLeaderProgress } from './hooks';
import { maybeExpandIsr } from './isr';
import { logOf, maybeIncrementLeaderHw, updateFollowerFetchState } from './partition';
import { answerOrPark } from './purgatory';
import { tpKey } from './types';

function updateFollower(b: Broker, follower: NodeId, req: FetchRequest): void {
  for (const fp of req.partitions) {
    // One key and one lookup per partition (leaderEpochError and logOf would each make their own).
    const key = tpKey(fp.topic, fp.partition);
    const p = b.v.partitions[key];
    if (replicaEpochError(b, key, p, fp.currentLeaderEpoch) || !p.followers[follower]) continue;
    const log = logOf(b, fp.topic, fp.partition, key);
    if (fp.fetchOffset < log.logStartOffset || fp.fetchOffset > log.logEndOffset) continue;
    updateFollowerFetchState(p, follower, fp.fetchOffset, log.logEndOffset, b.ctx.now);
    maybeExpandIsr(b, p, follower);
    // As Kafka's Partition.updateFollowerFetchState: parked requests are tried again only when
    // the high watermark moved; a follower's new position alone completes none of them.
    if (maybeIncrementLeaderHw(b, p, log)) afterLeaderProgress(b, p, true);
  }
}

export function handleFetch(b: Broker, from: NodeId, req: FetchRequest): void {
  if (req.replicaId !== null) updateFollower(b, req.replicaId, req);
  answerOrPark(b, from, req);
}
