// Every instruction of the compiled aarch64 guest programs disassembles as
// GNU objdump -d prints it, branch targets named by symbol included.

import { test } from 'node:test';
import { disassembleOne } from '../../../engine/isa/aarch64/disasm';
import { checkGuestDisassembly, objdumpSymbolizer } from '../../oracle/guest-disassembly';
import { parseObjdump } from './objdump-oracle';

test('the aarch64 guest programs disassemble as objdump -d prints them', () => {
  checkGuestDisassembly({
    arch: 'aarch64',
    minGuests: 27,
    parseObjdump,
    disassembler(image) {
      const symbolize = objdumpSymbolizer(image.symbols);
      return (insn, address) => disassembleOne(insn, address, symbolize).text;
    },
    marked: (text) => text.includes(' <'),
    minMarked: 1_000,
    markedWhat: 'name a symbol',
  });
});
