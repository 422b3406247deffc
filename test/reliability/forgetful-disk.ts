import { basename, dirname } from 'node:path';
import type { Disk, DiskFile, SyncSite } from '../../mock-server/src/store/disk.js';

// A disk that forgets, in memory: it keeps every write, create, rename and delete, and on
// `powerCut()` drops those no matching sync (of the file, or of its folder) made durable. Of a
// file's unsynced writes it keeps a random prefix (none, some or all, in the order they were
// made, as a write-back in progress would) and may tear the next one at any byte; of a folder's
// unsynced changes (new names, renames, removals) it keeps any subset, in any order.

type Change = { t: 'write'; position: number; bytes: Buffer } | { t: 'truncate'; length: number };
type NameChange = { t: 'link'; name: string; node: Node } | { t: 'unlink'; name: string } | { t: 'rename'; from: string; to: string; node: Node };

class FileNode {
  readonly kind = 'file';
  durable: Buffer = Buffer.alloc(0);
  current: Buffer = Buffer.alloc(0);
  changes: Change[] = [];
}

class DirNode {
  readonly kind = 'directory';
  durable = new Map<string, Node>();
  current = new Map<string, Node>();
  changes: NameChange[] = [];
}

type Node = FileNode | DirNode;

function applyChange(data: Buffer, change: Change): Buffer {
  if (change.t === 'truncate') return change.length <= data.length ? Buffer.from(data.subarray(0, change.length)) : Buffer.concat([data, Buffer.alloc(change.length - data.length)]);
  const end = change.position + change.bytes.length;
  const out = Buffer.alloc(Math.max(data.length, end));
  data.copy(out);
  change.bytes.copy(out, change.position);
  return out;
}

function applyName(names: Map<string, Node>, change: NameChange): void {
  if (change.t === 'link') names.set(change.name, change.node);
  else if (change.t === 'unlink') names.delete(change.name);
  else {
    if (names.get(change.from) === change.node) names.delete(change.from);
    names.set(change.to, change.node);
  }
}

const fail = (code: string, path: string) => Object.assign(new Error(`${code}: ${path}`), { code });

export interface ForgetfulDiskOptions {
  /** The random source of what a power cut keeps, and of the order operations finish in. */
  random: () => number;
  /** Sync sites that do nothing, as if the store did not make them. */
  skipSyncs?: ReadonlySet<SyncSite>;
  /**
   * The chance that a create fails (ENOSPC), and that a write fails after a random part of it,
   * perhaps all of it, reached the file (and, on a synced file, the device). @default 0
   */
  failWrites?: number;
  /** Collects every operation, `<power cut count> <operation> <path>`, to debug a replay. */
  trace?: string[];
}

export class ForgetfulDisk {
  readonly #random: () => number;
  readonly #skip: ReadonlySet<SyncSite>;
  readonly #failWrites: number;
  readonly #trace: string[] | undefined;
  readonly #root = new DirNode();
  // Bumped by a power cut: the disks handed out before it belong to a dead process.
  #epoch = 0;
  #operations = 0;
  #cutAt = Number.POSITIVE_INFINITY;
  #onCut: (() => void) | undefined;
  /** Syncs made, by site. */
  readonly syncs = new Map<SyncSite, number>();

  constructor(options: ForgetfulDiskOptions) {
    this.#random = options.random;
    this.#skip = options.skipSyncs ?? new Set();
    this.#failWrites = options.failWrites ?? 0;
    this.#trace = options.trace;
  }

  #failNext: RegExp | undefined;
  #failNextCreate: RegExp | undefined;

  /** The next create of a file whose path matches fails (ENOSPC). */
  failNextCreate(path: RegExp): void {
    this.#failNextCreate = path;
  }

  /** The next write to a file whose path matches fails after all its bytes reached the file (and, on a synced file, the device), as an I/O error reported late does. */
  failNextWrite(path: RegExp): void {
    this.#failNext = path;
  }

  /** Cuts the power once `operations` more file operations have started; resolves when it has. */
  cutAfter(operations: number): Promise<void> {
    this.#cutAt = this.#operations + operations;
    return new Promise((resolve) => (this.#onCut = resolve));
  }

  /** Drops what was not synced, and stops every disk handed out so far (their calls never finish). */
  powerCut(): void {
    this.#trace?.push(`${this.#epoch} POWER CUT`);
    this.#epoch += 1;
    this.#cutAt = Number.POSITIVE_INFINITY;
    const seen = new Set<Node>();
    const visit = (node: Node) => {
      if (seen.has(node)) return;
      seen.add(node);
      if (node.kind === 'file') {
        const kept = this.#keptPrefix(node.changes.length);
        let data = node.durable;
        for (const change of node.changes.slice(0, kept)) data = applyChange(data, change);
        const next = node.changes[kept];
        // The next write may have reached the disk in part.
        if (next?.t === 'write' && this.#random() < 0.5) data = applyChange(data, { ...next, bytes: next.bytes.subarray(0, Math.floor(this.#random() * next.bytes.length)) });
        node.durable = data;
        node.current = Buffer.from(data);
        node.changes = [];
      } else {
        // Half the time nothing unsynced is kept, else each change by a coin.
        const keepAny = this.#random() < 0.5;
        for (const change of node.changes) if (keepAny && this.#random() < 0.5) applyName(node.durable, change);
        node.current = new Map(node.durable);
        node.changes = [];
        for (const child of node.durable.values()) visit(child);
      }
    };
    visit(this.#root);
    const done = this.#onCut;
    this.#onCut = undefined;
    done?.();
  }

  /** Half the time nothing unsynced is kept, else a random part of it. */
  #keptPrefix(length: number): number {
    if (length === 0 || this.#random() < 0.5) return 0;
    return Math.floor(this.#random() * (length + 1));
  }

  /** Creates a folder (and its parents) as if it had been there, synced, before the test. */
  folder(path: string): void {
    let dir = this.#root;
    for (const part of path.split('/').filter(Boolean)) {
      let next = dir.current.get(part);
      if (!next) {
        next = new DirNode();
        dir.current.set(part, next);
        dir.durable.set(part, next);
      }
      if (next.kind !== 'directory') throw fail('ENOTDIR', path);
      dir = next;
    }
  }

  /** Creates a file with `text`, as if it had been there, synced, before the test. */
  file(path: string, text: string): void {
    this.folder(dirname(path));
    const dir = this.#lookup(dirname(path)) as DirNode;
    const node = new FileNode();
    node.durable = Buffer.from(text);
    node.current = Buffer.from(text);
    dir.current.set(basename(path), node);
    dir.durable.set(basename(path), node);
  }

  /** A file's bytes as they are now (synced or not), for a test that damages it. */
  contents(path: string): Buffer | undefined {
    const node = this.#lookup(path);
    return node?.kind === 'file' ? node.current : undefined;
  }

  /** A folder's names as they are now. */
  names(path: string): string[] {
    const node = this.#lookup(path);
    return node?.kind === 'directory' ? [...node.current.keys()].sort() : [];
  }

  #lookup(path: string): Node | undefined {
    let node: Node = this.#root;
    for (const part of path.split('/').filter(Boolean)) {
      if (node.kind !== 'directory') return undefined;
      const next = node.current.get(part);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  #parent(path: string): DirNode {
    const node = this.#lookup(dirname(path));
    if (node?.kind !== 'directory') throw fail('ENOENT', path);
    return node;
  }

  #change(dir: DirNode, change: NameChange): void {
    applyName(dir.current, change);
    dir.changes.push(change);
  }

  #write(node: FileNode, change: Change): void {
    node.current = applyChange(node.current, change);
    node.changes.push(change);
  }

  #sync(node: Node, site: SyncSite): void {
    this.syncs.set(site, (this.syncs.get(site) ?? 0) + 1);
    if (this.#skip.has(site)) return;
    if (node.kind === 'file') node.durable = Buffer.from(node.current);
    else node.durable = new Map(node.current);
    node.changes = [];
  }

  /** The disk of one process: every call is an operation the power can be cut at. */
  mount(): Disk {
    const epoch = this.#epoch;
    // Each call finishes after a few turns of the microtask queue, in a random order; none
    // finishes once the power is cut.
    const step = async <T>(work: () => T, what?: string): Promise<T> => {
      if (epoch !== this.#epoch) return new Promise<T>(() => undefined);
      if (what) this.#trace?.push(`${epoch} ${what}`);
      this.#operations += 1;
      if (this.#operations >= this.#cutAt) this.powerCut();
      for (let turns = Math.floor(this.#random() * 4); turns > 0; turns--) await null;
      if (epoch !== this.#epoch) return new Promise<T>(() => undefined);
      const result = work();
      return result;
    };
    const open = (node: FileNode, synced: SyncSite | undefined, path = ''): DiskFile => {
      let closed = false;
      const usable = () => {
        if (closed) throw fail('EBADF', 'closed file');
      };
      return {
        write: (bytes, position) =>
          step(() => {
            usable();
            const forced = this.#failNext?.test(path) ?? false;
            if (forced) this.#failNext = undefined;
            const failing = forced || this.#random() < this.#failWrites;
            const length = failing && !forced ? Math.floor(this.#random() * (bytes.length + 1)) : bytes.length;
            this.#write(node, { t: 'write', position, bytes: Buffer.from(bytes.subarray(0, length)) });
            if (synced) this.#sync(node, synced);
            if (failing) throw fail('ENOSPC', 'write');
            return bytes.length;
          }, `write ${path} ${position} ${bytes.length}`),
        truncate: (length) =>
          step(() => {
            usable();
            this.#write(node, { t: 'truncate', length });
          }, `truncate ${path} ${length}`),
        sync: (site) =>
          step(() => {
            usable();
            this.#sync(node, site);
          }, `sync ${path} ${site}`),
        close: () =>
          step(() => {
            usable();
            closed = true;
          }),
      };
    };
    return {
      create: (path, options) =>
        step(() => {
          if (this.#failNextCreate?.test(path)) {
            this.#failNextCreate = undefined;
            throw fail('ENOSPC', path);
          }
          if (this.#random() < this.#failWrites) throw fail('ENOSPC', path);
          const dir = this.#parent(path);
          const existing = dir.current.get(basename(path));
          if (existing && options.exclusive) throw fail('EEXIST', path);
          if (existing?.kind === 'directory') throw fail('EISDIR', path);
          if (existing) {
            this.#write(existing, { t: 'truncate', length: 0 });
            return open(existing, options.synced, path);
          }
          const node = new FileNode();
          this.#change(dir, { t: 'link', name: basename(path), node });
          return open(node, options.synced, path);
        }, `create ${path}`),
      read: (path) =>
        step(() => {
          const node = this.#lookup(path);
          if (node?.kind === 'directory') throw fail('EISDIR', path);
          return node ? Buffer.from(node.current) : undefined;
        }),
      readdir: (path) =>
        step(() => {
          const node = this.#lookup(path);
          if (node?.kind === 'file') throw fail('ENOTDIR', path);
          return node ? [...node.current.keys()].sort() : undefined;
        }),
      kind: (path) => step(() => this.#lookup(path)?.kind),
      mkdir: (path) =>
        step(() => {
          let created = false;
          let dir = this.#root;
          for (const part of path.split('/').filter(Boolean)) {
            let next = dir.current.get(part);
            if (next?.kind === 'file') throw fail('ENOTDIR', path);
            if (!next) {
              next = new DirNode();
              this.#change(dir, { t: 'link', name: part, node: next });
              created = true;
            }
            dir = next;
          }
          return created;
        }),
      rename: (from, to) =>
        step(() => {
          const dir = this.#parent(from);
          if (dirname(from) !== dirname(to)) throw fail('EXDEV', to);
          const node = dir.current.get(basename(from));
          if (!node) throw fail('ENOENT', from);
          this.#change(dir, { t: 'rename', from: basename(from), to: basename(to), node });
        }, `rename ${from} ${to}`),
      unlink: (path) =>
        step(() => {
          const dir = this.#lookup(dirname(path));
          if (dir?.kind !== 'directory' || !dir.current.has(basename(path))) return;
          this.#change(dir, { t: 'unlink', name: basename(path) });
        }, `unlink ${path}`),
      syncFile: (path, site) =>
        step(() => {
          const node = this.#lookup(path);
          if (node?.kind !== 'file') throw fail('ENOENT', path);
          this.#sync(node, site);
        }),
      syncDirectory: (path, site) =>
        step(() => {
          const node = this.#lookup(path);
          if (node?.kind !== 'directory') throw fail('ENOENT', path);
          this.#sync(node, site);
        }, `syncdir ${path} ${site}`),
    };
  }
}
