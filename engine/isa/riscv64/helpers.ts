// The helper functions that instruction fragments call as `h.*`.

import { amo, loadReserved, storeConditional } from './atomics';
import { div, jumpTarget } from './wide-arith';
import { mulh, mulhu32 } from '../wide-multiply';
import * as fp from '../float';

export const helpers = { mulhu32, mulh, div, jumpTarget, amo, loadReserved, storeConditional, fp } as const;
export type Helpers = typeof helpers;
