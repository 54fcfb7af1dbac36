// One problem found in a configuration file: which file, where in it (a JSON
// key path such as `memory_regions[2].size`, or a launch attribute), and what
// is wrong. Readers collect these instead of throwing so one run reports them all.

export class ConfigError {
  constructor(
    readonly file: string,
    /** Key path inside the file; empty for the file as a whole. */
    readonly path: string,
    readonly message: string,
  ) {}

  toString(): string {
    return this.path ? `${this.file}: ${this.path}: ${this.message}` : `${this.file}: ${this.message}`;
  }
}

/** Thrown by the readers' strict variants, for inputs that must be valid (samples, tests). */
export class ConfigErrors extends Error {
  constructor(readonly errors: readonly ConfigError[]) {
    super(errors.map((e) => e.toString()).join('\n'));
    this.name = 'ConfigErrors';
  }
}
