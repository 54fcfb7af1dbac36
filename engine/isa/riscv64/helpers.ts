// The helper functions that instruction fragments call as `h.*`.

import { amo, loadReserved, storeConditional } from './atomics';
import { div, jumpTarget, mulh, mulhu32 } from './wide-arith';

export const helpers = { mulhu32, mulh, div, jumpTarget, amo, loadReserved, storeConditional } as const;
export type Helpers = typeof helpers;
