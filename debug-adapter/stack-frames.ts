// A CPU's stack as DAP frames: the hypervisor's frames above the guest's,
// the guest's innermost first, each with its own id in the CPU's block of
// FRAMES_PER_THREAD ids, so a frame id names its CPU.

import { basename } from 'node:path';
import { Source, StackFrame } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { CpuStack, GuestFrame } from './engine-protocol';
import { hex } from './memory-reference';

export const FRAMES_PER_THREAD = 1000;
/** Ids of hypervisor frames follow the innermost guest frame's; a guest caller's start here. */
const GUEST_CALLER_IDS = 500;
/** The id of the frame that says the stack goes on without call frame information. */
const END_ID = FRAMES_PER_THREAD - 1;

function guestFrame(id: number, frame: GuestFrame): DebugProtocol.StackFrame {
  const name = frame.symbol ? `${frame.symbol} (${hex(frame.pc)})` : hex(frame.pc);
  const source = frame.source ? new Source(basename(frame.source.file), frame.source.file) : undefined;
  const f: DebugProtocol.StackFrame = new StackFrame(id, name, source, frame.source?.line ?? 0, frame.source ? 1 : 0);
  f.instructionPointerReference = hex(frame.pc);
  return f;
}

/** Every frame of `cpu`'s stack, outermost hypervisor frame first and the guest's outermost caller last. */
export function stackFrames(cpu: number, stack: CpuStack): DebugProtocol.StackFrame[] {
  const base = (cpu + 1) * FRAMES_PER_THREAD;
  const [top, ...callers] = stack.guest;
  if (stack.cpu.state === 'parked') {
    const f = new StackFrame(base, 'hvisor idle (parked)');
    f.instructionPointerReference = hex(top!.pc);
    return [f];
  }
  const frames: DebugProtocol.StackFrame[] = stack.cpu.hvFrames.map((name, i) => {
    const f: DebugProtocol.StackFrame = new StackFrame(base + 1 + i, `hv: ${name}`);
    f.presentationHint = 'subtle';
    return f;
  });
  frames.push(guestFrame(base, top!));
  callers.slice(0, END_ID - GUEST_CALLER_IDS - 1).forEach((c, i) => frames.push(guestFrame(base + GUEST_CALLER_IDS + i, c)));
  if (stack.endsWithoutCfi) {
    const f: DebugProtocol.StackFrame = new StackFrame(base + END_ID, '(no call-frame information beyond this point)');
    f.presentationHint = 'label';
    frames.push(f);
  }
  return frames;
}

/** The index in CpuStack.guest of the caller frame `frameId` of `cpu` names, or undefined for any other frame. */
export function callerIndex(cpu: number, frameId: number): number | undefined {
  const k = frameId - (cpu + 1) * FRAMES_PER_THREAD - GUEST_CALLER_IDS;
  return k >= 0 && k < END_ID - GUEST_CALLER_IDS ? k + 1 : undefined;
}

/** The index in CpuStack.guest of the guest frame `frameId` of `cpu` names (0: the innermost), or undefined for a hypervisor frame. */
export function guestFrameIndex(cpu: number, frameId: number): number | undefined {
  return frameId === (cpu + 1) * FRAMES_PER_THREAD ? 0 : callerIndex(cpu, frameId);
}
