/** A zxid is (epoch, counter) packed as ZooKeeper does: epoch in the high 32 bits. */
const EPOCH_SHIFT = 2 ** 32;

export function makeZxid(epoch: number, counter: number): number {
  return epoch * EPOCH_SHIFT + counter;
}

export function epochOf(zxid: number): number {
  return Math.floor(zxid / EPOCH_SHIFT);
}

export function counterOf(zxid: number): number {
  return zxid % EPOCH_SHIFT;
}

/** ZooKeeper prints zxids and session ids in hex ("0x100000003"). */
export function zxidHex(zxid: number): string {
  return `0x${zxid.toString(16)}`;
}
