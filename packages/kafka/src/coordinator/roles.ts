/** Role changes: LOOKING, FOLLOWING or LEADING. Leaving a role drops every client connection. */
import type { NodeId } from '@kafkasim/engine';
import { startElection } from './election';
import { startFollowing } from './follower';
import { newLeaderState, tryFinishDiscovery } from './leader';
import { dropClients } from './serve';
import type { Srv } from './srv';

function leaveRole(s: Srv): void {
  dropClients(s);
  s.m.serving = false;
  s.m.lead = null;
  s.m.follow = null;
}

export function goLooking(s: Srv): void {
  leaveRole(s);
  s.m.role = 'looking';
  startElection(s);
}

export function becomeLeader(s: Srv): void {
  leaveRole(s);
  s.m.role = 'leading';
  s.m.lead = newLeaderState(s.ctx.now);
  tryFinishDiscovery(s);
}

export function becomeFollower(s: Srv, leader: NodeId): void {
  leaveRole(s);
  s.m.role = 'following';
  startFollowing(s, leader);
}
