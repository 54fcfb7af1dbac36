// The one error type image loaders throw: what the user handed us is unusable,
// and the message says which file and which part of it.

export class ImageError extends Error {
  override readonly name = 'ImageError';

  /**
   * @param fileName the file as the user named it (launch configuration path or label)
   * @param problem what is wrong, naming the field or range at fault
   */
  constructor(
    readonly fileName: string,
    readonly problem: string,
  ) {
    super(`${fileName}: ${problem}`);
  }
}

export { hex } from '../../hex';
