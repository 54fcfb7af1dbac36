// Input a UART has been given but its receive FIFO cannot hold yet. The
// guest sees bytes as fast as it drains the FIFO, so none is ever lost to
// an overrun and the run does not depend on when input arrived.

export class InputBacklog {
  private bytes: number[] = [];
  private head = 0;

  push(input: Uint8Array | readonly number[]): void {
    for (const b of input) this.bytes.push(b & 0xff);
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
