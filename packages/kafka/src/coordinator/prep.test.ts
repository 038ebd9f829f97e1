import { describe, expect, it } from 'vitest';
import { applyTxn, createDb } from './db';
import { invalidPathReason, parentOf } from './paths';
import { prepWrite } from './prep';
import type { TxnBody, WriteRequest, ZkDb } from './types';
import { makeZxid } from './zxid';

/** Preps and commits one request as the leader would, returning the txn body. */
function write(db: ZkDb, request: WriteRequest, session = '0x1'): TxnBody {
  const zxid = db.zxid + 1;
  const scratch = structuredClone(db);
  const body = prepWrite(scratch, session, request, zxid);
  applyTxn(db, { zxid, origin: null, body });
  expect(scratch.nodes).toEqual(db.nodes);
  return body;
}

const create = (path: string, extra: Partial<Extract<WriteRequest, { op: 'create' }>> = {}): WriteRequest =>
  ({ op: 'create', path, data: null, ephemeral: false, sequential: false, ...extra });

describe('prep and apply (the data tree)', () => {
  it('suffixes sequential creates with the parent cversion, %010d', () => {
    const db = createDb();
    write(db, create('/p'));
    const names = [0, 1, 2].map(() => (write(db, create('/p/lock-', { sequential: true })) as any).ops[0].path);
    expect(names).toEqual(['/p/lock-0000000000', '/p/lock-0000000001', '/p/lock-0000000002']);
    // Deletes move pzxid but not cversion (DataTree.deleteNode): numbers are never reused.
    write(db, { op: 'delete', path: '/p/lock-0000000002', version: -1 });
    expect((write(db, create('/p/lock-', { sequential: true })) as any).ops[0].path).toBe('/p/lock-0000000003');
    expect(db.nodes['/p'].stat.cversion).toBe(4);
    expect(db.nodes['/p'].children).toEqual(['lock-0000000000', 'lock-0000000001', 'lock-0000000003']);
  });

  it('rolls a failed multi back completely, cversion included', () => {
    const db = createDb();
    write(db, create('/a'));
    const before = structuredClone(db.nodes);
    const body = write(db, { op: 'multi', ops: [
      { op: 'create', path: '/a/x', data: 1 },
      { op: 'setData', path: '/a', data: 2, version: -1 },
      { op: 'delete', path: '/a/x', version: 3 },
    ] });
    expect(body).toEqual({ type: 'error', error: 'BadVersion', path: '/a/x', multi: true });
    expect(db.nodes).toEqual(before);
  });

  it('lets later ops of a multi see the earlier ones', () => {
    const db = createDb();
    const body = write(db, { op: 'multi', ops: [
      { op: 'create', path: '/a', data: 1 },
      { op: 'create', path: '/a/b', data: 2, ephemeral: true },
      { op: 'check', path: '/a/b', version: 0 },
      { op: 'setData', path: '/a', data: 3, version: 0 },
    ] }, '0x7');
    expect(body.type).toBe('ops');
    expect(db.nodes['/a/b'].stat.ephemeralOwner).toBe('0x7');
    expect(db.nodes['/a']).toMatchObject({ data: 3, stat: { version: 1, cversion: 1 } });
  });

  it('closes a session by deleting exactly its ephemerals', () => {
    const db = createDb();
    write(db, create('/e1', { ephemeral: true }), '0xa');
    write(db, create('/e2', { ephemeral: true }), '0xb');
    write(db, create('/p'), '0xa');
    const out = applyTxn(db, { zxid: makeZxid(1, 9), origin: null, body: { type: 'closeSession', sessionId: '0xa', owner: 'c' } });
    expect(out.deleted).toEqual(['/e1']);
    expect(Object.keys(db.nodes).sort()).toEqual(['/', '/e2', '/p']);
  });

  it('validates paths like PathUtils', () => {
    expect(invalidPathReason('/a/b')).toBeNull();
    expect(invalidPathReason('/')).toBeNull();
    expect(invalidPathReason('a')).not.toBeNull();
    expect(invalidPathReason('/a/')).not.toBeNull();
    expect(invalidPathReason('/a/', true)).toBeNull();
    expect(invalidPathReason('/a//b')).not.toBeNull();
    expect(invalidPathReason('/a/./b')).not.toBeNull();
    expect(parentOf('/a')).toBe('/');
    expect(parentOf('/a/b')).toBe('/a');
  });
});
