// How many requests the simulator is working on at once, from arrival to the end of the answer
// (injected latency included), overall and per caller: tests use the highest count to check how
// much concurrency the operator puts on APIM.

interface Gauge {
  inFlight: number;
  maxInFlight: number;
}

export interface InFlightStats extends Gauge {
  /** By caller, as named in the request log (basic:<user>, bearer, none). */
  callers: Record<string, Gauge>;
}

/**
 * Writes (PUT, POST, DELETE) in flight per APIM object: two at once for one object would mean two
 * reconciles of one key at once, which an operator must never do (even across a change of leader).
 */
export class ObjectWrites {
  private readonly inFlight = new Map<string, number>();
  private readonly overlapping = new Map<string, number>();

  /** Counts one write of the object in; the returned function counts it out (once). */
  enter(object: string): () => void {
    const count = (this.inFlight.get(object) ?? 0) + 1;
    this.inFlight.set(object, count);
    if (count > 1) this.overlapping.set(object, Math.max(this.overlapping.get(object) ?? 0, count));
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const now = (this.inFlight.get(object) ?? 1) - 1;
      if (now === 0) this.inFlight.delete(object);
      else this.inFlight.set(object, now);
    };
  }

  /** The objects written by more than one request at once, with the most at once. */
  overlaps(): Record<string, number> {
    return Object.fromEntries(this.overlapping);
  }

  reset(): void {
    this.overlapping.clear();
  }
}

export class InFlight {
  private readonly overall: Gauge = { inFlight: 0, maxInFlight: 0 };
  private readonly byCaller = new Map<string, Gauge>();

  /** Counts one request in; the returned function counts it out, once however often it is called. */
  enter(caller: string): () => void {
    let gauge = this.byCaller.get(caller);
    if (!gauge) this.byCaller.set(caller, (gauge = { inFlight: 0, maxInFlight: 0 }));
    const gauges = [this.overall, gauge];
    for (const g of gauges) g.maxInFlight = Math.max(g.maxInFlight, ++g.inFlight);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      for (const g of gauges) g.inFlight--;
    };
  }

  maxInFlight(caller?: string): number {
    return (caller === undefined ? this.overall : this.byCaller.get(caller))?.maxInFlight ?? 0;
  }

  /** Starts a new measurement. Requests still in flight count towards it: they still load APIM. */
  resetMax(): void {
    for (const g of [this.overall, ...this.byCaller.values()]) g.maxInFlight = g.inFlight;
  }

  stats(): InFlightStats {
    return {
      ...this.overall,
      callers: Object.fromEntries([...this.byCaller].map(([caller, g]) => [caller, { ...g }])),
    };
  }
}
