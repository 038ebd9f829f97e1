import { describe, expect, it } from 'vitest';
import { assignorsByName, cooperativeStickyAssignor, rangeAssignor, rebalanceProtocolOf, roundRobinAssignor, stickyAssignor } from './index';

describe('assignorsByName', () => {
  it("uses Kafka's partition.assignment.strategy names", () => {
    expect(assignorsByName).toEqual({
      range: rangeAssignor,
      roundrobin: roundRobinAssignor,
      sticky: stickyAssignor,
      'cooperative-sticky': cooperativeStickyAssignor,
    });
    expect(rebalanceProtocolOf['cooperative-sticky']).toBe('cooperative');
    expect(rebalanceProtocolOf.sticky).toBe('eager');
  });
});
