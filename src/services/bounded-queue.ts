/**
 * At most `concurrent` pieces of work at once, at most `queued` waiting their turn in order,
 * none waiting longer than `waitSeconds`. Work beyond that is refused with OverloadedError
 * (503 + Retry-After, RFC 9110 §15.6.4) instead of piling up: every waiting request holds a
 * socket, and every running one memory and a libuv thread. A wait whose caller has gone away
 * (the client closed the connection) leaves the queue without running.
 */
import { OverloadedError } from '../domain/errors.js';

export interface QueueLimits {
  /** Pieces of work running at once. */
  concurrent: number;
  /** Pieces of work waiting for a turn; more are refused at once. */
  queued: number;
  /** The longest a piece of work waits for its turn before it is refused. */
  waitSeconds: number;
}

interface Waiter {
  start(): void;
  refuse(error: unknown): void;
}

export class BoundedQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  /** How long a piece of work took lately (a moving average), for Retry-After. */
  private averageMs = 0;

  constructor(
    readonly limits: QueueLimits,
    /** What the work is, for the message of a refusal ("image renders"). */
    private readonly what: string,
  ) {}

  /** Running and waiting (what the tests watch). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.running < this.limits.concurrent) this.running += 1;
    else await this.turn(signal);
    const started = performance.now();
    try {
      return await work();
    } finally {
      const took = performance.now() - started;
      this.averageMs = this.averageMs === 0 ? took : 0.8 * this.averageMs + 0.2 * took;
      // The slot passes to the next in line, if any; else it is free.
      const next = this.waiting.shift();
      if (next) next.start();
      else this.running -= 1;
    }
  }

  /** Waits for a slot handed over by work that ends; refused when the queue is full or the wait too long. */
  private turn(signal: AbortSignal | undefined): Promise<void> {
    if (this.waiting.length >= this.limits.queued) {
      return Promise.reject(this.overloaded(`${this.limits.concurrent} are running and ${this.waiting.length} waiting`));
    }
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        const i = this.waiting.indexOf(waiter);
        if (i !== -1) this.waiting.splice(i, 1);
      };
      const waiter: Waiter = {
        start: () => {
          leave();
          resolve();
        },
        refuse: (error) => {
          leave();
          reject(error);
        },
      };
      const timer = setTimeout(() => waiter.refuse(this.overloaded(`none came free within ${this.limits.waitSeconds} s`)), this.limits.waitSeconds * 1000);
      const aborted = () => waiter.refuse(signal!.reason);
      signal?.addEventListener('abort', aborted, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Retry-After: the time the work ahead would take at the recent pace, within 1 s and the longest wait. */
  private overloaded(why: string): OverloadedError {
    const ahead = ((this.running + this.waiting.length) / this.limits.concurrent) * this.averageMs;
    const seconds = Math.min(Math.max(1, Math.ceil(ahead / 1000)), Math.max(1, Math.ceil(this.limits.waitSeconds)));
    return new OverloadedError(`Too many ${this.what} at once (${why}); try again in ${seconds} s.`, seconds);
  }
}
