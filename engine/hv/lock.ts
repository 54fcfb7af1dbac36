// hvisor's locks (spin::Mutex, spin::RwLock) as the model sees them: each one
// knows who holds it and who waits, so a debugger can show both and the
// scheduler can find a deadlock. Acquiring is a resumable step: while another
// CPU holds the lock, the acquiring CPU yields `wait` and really waits.

import type { HvTask } from './task';

export interface LockState {
  readonly name: string;
  readonly kind: 'mutex' | 'rwlock';
  /** The CPU holding it exclusively (a mutex, or an RwLock's writer). */
  readonly owner: number | undefined;
  /** CPUs holding an RwLock for reading. */
  readonly readers: readonly number[];
  readonly waiters: readonly { readonly cpu: number; readonly mode: 'lock' | 'read' | 'write' }[];
}

export interface ObservableLock {
  readonly name: string;
  state(): LockState;
  /** CPUs that must release the lock before `cpu` can take it. */
  blockers(cpu: number): number[];
}

/** Records which locks exist, for the debugger's lock list. */
export class LockRegistry {
  readonly all: ObservableLock[] = [];
  register<T extends ObservableLock>(lock: T): T {
    this.all.push(lock);
    return lock;
  }
  unregister(lock: ObservableLock): void {
    const i = this.all.indexOf(lock);
    if (i >= 0) this.all.splice(i, 1);
  }
}

/** spin::Mutex<()> — ctrl_lock and friends. */
export class SpinMutex implements ObservableLock {
  owner: number | undefined;
  private readonly waiting = new Set<number>();

  constructor(readonly name: string) {}

  *lock(cpu: number): HvTask {
    while (this.owner !== undefined && this.owner !== cpu) {
      this.waiting.add(cpu);
      yield { kind: 'wait', lock: this };
    }
    this.waiting.delete(cpu);
    this.owner = cpu;
  }

  unlock(cpu: number): void {
    if (this.owner === cpu) this.owner = undefined;
  }

  state(): LockState {
    return { name: this.name, kind: 'mutex', owner: this.owner, readers: [], waiters: [...this.waiting].map((cpu) => ({ cpu, mode: 'lock' as const })) };
  }

  blockers(cpu: number): number[] {
    return this.owner !== undefined && this.owner !== cpu ? [this.owner] : [];
  }
}

/** spin::RwLock — the zone list and each zone. */
export class RwLock implements ObservableLock {
  writer: number | undefined;
  readonly readers: number[] = [];
  private readonly waiting = new Map<number, 'read' | 'write'>();

  constructor(readonly name: string) {}

  *read(cpu: number): HvTask {
    while (this.writer !== undefined) {
      this.waiting.set(cpu, 'read');
      yield { kind: 'wait', lock: this };
    }
    this.waiting.delete(cpu);
    this.readers.push(cpu);
  }

  *write(cpu: number): HvTask {
    while (this.writer !== undefined || this.readers.some((r) => r !== cpu)) {
      this.waiting.set(cpu, 'write');
      yield { kind: 'wait', lock: this };
    }
    this.waiting.delete(cpu);
    this.writer = cpu;
  }

  unlockRead(cpu: number): void {
    const i = this.readers.indexOf(cpu);
    if (i >= 0) this.readers.splice(i, 1);
  }

  unlockWrite(cpu: number): void {
    if (this.writer === cpu) this.writer = undefined;
  }

  state(): LockState {
    return {
      name: this.name, kind: 'rwlock', owner: this.writer, readers: [...this.readers],
      waiters: [...this.waiting].map(([cpu, mode]) => ({ cpu, mode })),
    };
  }

  blockers(cpu: number): number[] {
    const mode = this.waiting.get(cpu);
    const out = this.writer !== undefined && this.writer !== cpu ? [this.writer] : [];
    if (mode === 'write') for (const r of this.readers) if (r !== cpu && !out.includes(r)) out.push(r);
    return out;
  }
}
