// Notices silence: a TCP connection that died without a FIN or RST (a node gone, a NAT entry dropped)
// leaves a watch open forever with nothing arriving. Whoever owns the connection feeds the watchdog
// on every sign of life; if none comes for `ms`, `onSilence` is called, once.
export class Watchdog {
  private readonly timer: NodeJS.Timeout;
  private over = false;

  constructor(ms: number, onSilence: () => void) {
    this.timer = setTimeout(() => {
      this.over = true;
      onSilence();
    }, ms);
    // A stalled watch must not be what keeps a process alive.
    this.timer.unref();
  }

  /** A sign of life: the countdown starts again (cheaply, since this is called for every event). */
  feed(): void {
    // refresh() would re-arm a timer that has already fired.
    if (!this.over) this.timer.refresh();
  }

  stop(): void {
    this.over = true;
    clearTimeout(this.timer);
  }
}
