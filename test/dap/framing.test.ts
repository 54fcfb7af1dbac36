// The standalone adapter over stdio keeps serving through malformed input:
// each bad frame or message is reported on stderr (answered with an error
// when it names a request), and reading resumes at the next header.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawAdapter } from './raw-adapter';
import { sampleConfig } from './dap-client';

/** The adapter still answers a request after whatever came before. */
async function stillServes(a: RawAdapter): Promise<void> {
  const seq = a.request('threads');
  const r = await a.response(seq);
  assert.equal(r.success, true);
  assert.equal(a.exitCode, undefined);
}

test('malformed frames and messages are reported and the adapter keeps serving', async (t) => {
  const a = new RawAdapter();
  t.after(() => a.kill());

  await t.test('bad JSON', async () => {
    a.frame('{"seq": 1, "type": "request", "command": ');
    await a.stderrOutput(/^malformed message: the message body is not JSON/);
    await stillServes(a);
  });

  await t.test('null, an array, a number and a string', async () => {
    for (const [body, what] of [['null', 'null'], ['[1,2]', 'an array'], ['7', '7'], ['"x"', '"x"']] as const) {
      a.frame(body);
      await a.stderrOutput(new RegExp(`^malformed message: a message must be a JSON object, not ${what}`));
    }
    await stillServes(a);
  });

  await t.test('a request without a command, and one with bad arguments, each named', async () => {
    a.frame('{"seq": 2, "type": "request"}');
    await a.stderrOutput(/"command" must be a non-empty string, not missing/);
    a.frame('{"seq": 3, "type": "request", "command": "threads", "arguments": [1]}');
    const r = await a.response(3);
    assert.equal(r.success, false);
    assert.match(r.message ?? '', /^malformed "threads" request: arguments must be an object, not an array/);
    a.frame('{"seq": 40, "type": "request", "command": "threads", "arguments": null}');
    assert.equal((await a.response(40)).success, true, 'null arguments are no arguments');
    a.frame('{"seq": 4, "type": "event", "event": "x"}');
    await a.stderrOutput(/"type" must be "request" or "response", not "event"/);
    await stillServes(a);
  });

  await t.test('invalid UTF-8: reported, and answered since the request is still recognisable', async () => {
    a.frame(Buffer.concat([Buffer.from('{"seq": 5, "type": "request", "command": "threads", "arguments": {"x": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]));
    const r = await a.response(5);
    assert.equal(r.success, false);
    assert.match(r.message ?? '', /not valid UTF-8/);
    await stillServes(a);
  });

  await t.test('bad Content-Length values, then the next header is found', async () => {
    for (const bad of ['abc', '-5', '1e3', '99999999999', '']) {
      a.write(`Content-Length: ${bad}\r\n\r\n{"seq":9}`);
      await a.stderrOutput(/Content-Length .* (is not a byte count|is over the limit)/);
    }
    // Bytes that are no header are reported once, when the next header shows where they end.
    a.write('Content-Type: application/json\r\n\r\n');
    a.write('garbage before a header ');
    const skipped = a.stderrOutput(/^malformed message: skipped \d+ bytes that are not a Content-Length header/);
    await stillServes(a);
    await skipped;
  });

  await t.test('a Content-Length shorter than the body: the rest is skipped up to the next header', async () => {
    a.write('Content-Length: 10\r\n\r\n{"seq": 6, "type": "request", "command": "threads"}');
    await a.stderrOutput(/not JSON/);
    await stillServes(a);
  });

  await t.test('a Content-Length longer than the body: once the body stalls, the next frame is read', async () => {
    a.write('Content-Length: 500\r\n\r\n{"seq": 7, "type": "request", "command": "threads"}');
    const seq = a.request('threads');
    await a.stderrOutput(/Content-Length 500 is longer than the message/);
    assert.equal((await a.response(seq)).success, true);
  });

  await t.test('a header split across writes, and frames split byte by byte', async () => {
    const body = '{"seq": 8, "type": "request", "command": "threads"}';
    const bytes = Buffer.from(`Content-Length: ${body.length}\r\n\r\n${body}`);
    for (let i = 0; i < bytes.length; i += 7) a.write(bytes.subarray(i, i + 7));
    assert.equal((await a.response(8)).success, true);
  });

  await t.test('a normal session works afterwards', async () => {
    const init = a.request('initialize', { adapterID: 'hvisor', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    assert.equal((await a.response(init)).success, true);
    const launch = a.request('launch', sampleConfig({ stopOnEntry: true }));
    await a.next((m) => m.event === 'initialized');
    a.request('configurationDone');
    assert.equal((await a.response(launch)).success, true);
    await a.next((m) => m.event === 'stopped');
    const threads = await a.response(a.request('threads'));
    assert.equal((threads.body?.threads as unknown[]).length, 4);
  });

  await t.test('the end of input ends the adapter', async () => {
    a.process.stdin!.end();
    await a.next(() => false, 5000).catch(() => {});
    assert.equal(a.exitCode, 0);
    assert.equal(a.stderr, '');
  });
});
