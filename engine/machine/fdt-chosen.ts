// What a boot loader writes into /chosen for Linux: the command line and
// where the initrd lies. It applies to any device tree, generated or the
// user's own, as a boot loader edits whatever tree it is given.

import { u64Cells, type DeviceTree } from './fdt';
import { hex } from '../hex';

export interface ChosenOptions {
  readonly bootargs?: string;
  /** [start, end) of the initrd, as the guest sees it. */
  readonly initrd?: { readonly start: number; readonly end: number };
}

/** Sets /chosen's bootargs and linux,initrd-start/end (creating /chosen if the tree has none). */
export function setChosen(tree: DeviceTree, options: ChosenOptions): void {
  const chosen = tree.root.child('chosen') ?? tree.root.addNode('chosen');
  if (options.bootargs !== undefined) chosen.setString('bootargs', options.bootargs);
  const initrd = options.initrd;
  if (initrd) {
    // Addresses take the root's #address-cells, which is 2 unless it says otherwise.
    const cells = tree.root.property('#address-cells')?.u32() ?? 2;
    for (const [name, value] of [['linux,initrd-start', initrd.start], ['linux,initrd-end', initrd.end]] as const) {
      if (cells === 1) {
        if (value > 0xffffffff) throw new RangeError(`${name} ${hex(value)} does not fit the device tree's one address cell`);
        chosen.setU32(name, value);
      } else chosen.setCells(name, u64Cells(value));
    }
  }
}
