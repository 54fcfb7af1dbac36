// The helper functions that instruction fragments call as `h.*`.

import { amo, loadReserved, storeConditional } from './atomics';
import { div, jumpTarget } from './wide-arith';
import { mulh, mulhu32 } from '../wide-multiply';

export const helpers = { mulhu32, mulh, div, jumpTarget, amo, loadReserved, storeConditional } as const;
export type Helpers = typeof helpers;
