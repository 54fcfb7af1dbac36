// Conditions, hit conditions and logpoint messages of user breakpoints and
// hypervisor-event filters, decided where the run stops (the engine's stop
// filter), so a breakpoint whose condition fails costs no round trip.

import { ExpressionError, parseExpression, type Expr } from './expression';
import { holds, unknownName, type EvalContext } from './evaluate';
import { parseHitCondition, type HitCondition } from './hit-condition';
import { formatLogMessage, parseLogMessage, type LogPart } from './log-message';

/**
 * A breakpoint (at its instruction addresses: a source line may have several)
 * or an event filter (by event kind) with what the client set on it. Its hit
 * count counts stops at any of its addresses.
 */
export interface StopSpec {
  readonly id: number;
  readonly addresses?: readonly bigint[];
  readonly event?: string;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
  /** Where a logpoint's output says it comes from. */
  readonly source?: { readonly file: string; readonly line: number };
}

/** What a run does at a stop: go on, or stop (with a note when a condition could not be evaluated). */
export type StopDecision = { readonly stop: false } | { readonly stop: true; readonly note?: string };

interface Armed {
  readonly spec: StopSpec;
  readonly key: string;
  readonly condition?: Expr;
  readonly hit?: HitCondition;
  readonly log?: LogPart[];
  hits: number;
}

const trimmed = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s);

export class StopConditions {
  private armed: Armed[] = [];

  /**
   * Replace the specs. Returns, per spec, why it cannot be armed (a bad
   * condition, hit condition or message, or a name `ctx` does not know), or
   * undefined. A spec that keeps its place and condition keeps its hit count (a new hit condition applies to it).
   */
  replace(specs: readonly StopSpec[], ctx: EvalContext | undefined): (string | undefined)[] {
    const before = new Map(this.armed.map((a) => [a.key, a.hits]));
    const errors: (string | undefined)[] = [];
    const armed: Armed[] = [];
    for (const spec of specs) {
      const condition = trimmed(spec.condition);
      const hitCondition = trimmed(spec.hitCondition);
      const logMessage = trimmed(spec.logMessage);
      try {
        const parsed = condition === undefined ? undefined : parseExpression(condition);
        const unknown = parsed && ctx ? unknownName(ctx, parsed) : undefined;
        if (unknown) throw new ExpressionError(unknown);
        const log = logMessage === undefined ? undefined : parseLogMessage(logMessage);
        for (const part of log ?? []) {
          const unknownInLog = typeof part !== 'string' && ctx ? unknownName(ctx, part) : undefined;
          if (unknownInLog) throw new ExpressionError(`log message "${logMessage}": ${unknownInLog.replace(/^column \d+: /, '')}`);
        }
        const key = `${spec.addresses?.join(',') ?? spec.event}|${condition ?? ''}`;
        armed.push({
          spec, key, hits: before.get(key) ?? 0,
          ...(parsed ? { condition: parsed } : {}),
          ...(hitCondition !== undefined ? { hit: parseHitCondition(hitCondition) } : {}),
          ...(log ? { log } : {}),
        });
        errors.push(undefined);
      } catch (e) {
        const what = e instanceof ExpressionError ? e.message : String(e);
        errors.push(condition !== undefined && !/^(hit condition|log message)/.test(what) ? `condition "${condition}": ${what}` : what);
      }
    }
    this.armed = armed;
    return errors;
  }

  /** The breakpoint addresses whose stops need deciding: those with a condition, hit condition or message. */
  addresses(): bigint[] {
    return [...new Set(this.armed.filter((a) => filtered(a)).flatMap((a) => a.spec.addresses ?? []))];
  }

  /** The event kinds whose stops need deciding. */
  events(): string[] {
    return [...new Set(this.armed.filter((a) => a.spec.event !== undefined && filtered(a)).map((a) => a.spec.event!))];
  }

  /**
   * Decide a stop at a breakpoint address or an event of `kind`: it stops
   * when any breakpoint there wants to (a plain one always does); logpoints
   * print through `log` and never stop.
   */
  decide(at: { address: bigint } | { event: string }, ctx: EvalContext, log: (text: string, spec: StopSpec) => void): StopDecision {
    const here = this.armed.filter((a) => ('address' in at ? a.spec.addresses?.includes(at.address) : a.spec.event === at.event));
    if (here.length === 0) return { stop: true };
    let stop = false;
    const notes: string[] = [];
    for (const a of here) {
      if (a.condition) {
        let ok: boolean;
        try {
          ok = holds(ctx, a.condition);
        } catch (e) {
          notes.push(`the condition "${a.spec.condition}" could not be evaluated: ${e instanceof Error ? e.message : String(e)}`);
          stop = true;
          continue;
        }
        if (!ok) continue;
      }
      a.hits++;
      if (a.hit && !a.hit(a.hits)) continue;
      if (a.log) {
        log(formatLogMessage(ctx, a.log), a.spec);
        continue;
      }
      stop = true;
    }
    if (!stop) return { stop: false };
    return notes.length ? { stop: true, note: notes.join('; ') } : { stop: true };
  }
}

function filtered(a: Armed): boolean {
  return a.condition !== undefined || a.hit !== undefined || a.log !== undefined;
}
