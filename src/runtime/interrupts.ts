/**
 * SIGINT (Ctrl-C) and SIGTERM while a lab is built: caught, so that the run stops between
 * statements and rolls back, and remembered with the status a shell gives a program ended by the
 * signal (130 for SIGINT, 143 for SIGTERM).
 */
export class Interrupts {
  private asked = false;
  private code = 130;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.asked = true;
    this.code = signal === 'SIGTERM' ? 143 : 130;
    this.onInterrupt();
  };

  /** Listens from now until close(); `onInterrupt` runs at each signal. */
  constructor(private readonly onInterrupt: () => void) {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  get interrupted(): boolean {
    return this.asked;
  }

  /** The exit status for the last signal caught. */
  get status(): number {
    return this.code;
  }

  close(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}
