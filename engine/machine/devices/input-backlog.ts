// Input a UART has been given but its guest has not taken into the receiver
// yet. Host input enters the receive FIFO only while the guest is receiving
// (the device decides when), so input typed or piped before the guest's
// driver is ready waits here rather than being lost to a FIFO reset, an
// overrun or a driver's start-up reads; a FIFO reset hands back what the
// guest never read.

export class InputBacklog {
  private bytes: number[] = [];
  private head = 0;

  push(input: Uint8Array | readonly number[]): void {
    for (const b of input) this.bytes.push(b & 0xff);
  }

  /** Put bytes the guest never read back in front of the rest, in their order. */
  giveBack(input: readonly number[]): void {
    if (input.length === 0) return;
    this.bytes = [...input.map((b) => b & 0xff), ...this.bytes.slice(this.head)];
    this.head = 0;
  }

  /** Bytes still waiting. */
  get size(): number {
    return this.bytes.length - this.head;
  }

  /** Hand bytes to `accept` in order until it refuses one or none are left. */
  drain(accept: (byte: number) => boolean): void {
    while (this.head < this.bytes.length && accept(this.bytes[this.head]!)) this.head++;
    if (this.head === this.bytes.length) {
      this.bytes = [];
      this.head = 0;
    } else if (this.head > 4096) {
      this.bytes = this.bytes.slice(this.head);
      this.head = 0;
    }
  }
}
