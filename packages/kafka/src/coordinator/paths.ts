/** Znode path helpers, with ZooKeeper's PathUtils rules. */

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** ZooKeeper formats the sequential suffix with "%010d". */
export function sequentialSuffix(counter: number): string {
  return String(counter).padStart(10, '0');
}

/** Why a path is invalid (PathUtils.validatePath), or null. A sequential create may end in '/'. */
export function invalidPathReason(path: string, sequential = false): string | null {
  if (typeof path !== 'string' || path.length === 0) return 'path must not be empty';
  if (path[0] !== '/') return 'path must start with /';
  if (path.length === 1) return null;
  if (path.endsWith('/') && !sequential) return 'path must not end with /';
  if (path.includes('\u0000')) return 'null character not allowed';
  const segments = path.slice(1).split('/');
  const checked = sequential && path.endsWith('/') ? segments.slice(0, -1) : segments;
  for (const s of checked) {
    if (s.length === 0) return 'empty node name';
    if (s === '.' || s === '..') return 'relative paths not allowed';
  }
  return null;
}

export function assertValidPath(path: string, sequential = false): void {
  const reason = invalidPathReason(path, sequential);
  // ZooKeeper's client throws IllegalArgumentException before sending: a programming error.
  if (reason) throw new Error(`Invalid path "${path}": ${reason}`);
}
