/**
 * The broker dispatches Produce, Fetch and FetchResponse before offering a message to the hosted
 * controller (behavior.ts onMessage): that order is only right while the controller takes none
 * of them.
 */
import { describe, expect, it } from 'vitest';
import { controllerOnMessage, createControllerState } from '../controller';

describe('broker message dispatch', () => {
  it('the controller takes none of the data-plane messages the broker handles first', () => {
    for (const api of ['Produce', 'Fetch', 'FetchResponse']) {
      const cs = createControllerState();
      const before = structuredClone(cs);
      expect(controllerOnMessage(cs, 'broker-2', { api, correlationId: 1 }, {} as never, {} as never)).toBe(false);
      expect(cs).toEqual(before);
    }
  });

  it('while it does take its own responses', () => {
    expect(controllerOnMessage(createControllerState(), 'broker-2', { api: 'LeaderAndIsrResponse', correlationId: 1 }, {} as never, {} as never)).toBe(true);
  });
});
