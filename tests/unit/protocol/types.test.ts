/**
 * Compile-time checks of the public types (run by `tsc --noEmit`; the @ts-expect-error lines fail
 * the type check if the typing ever gets looser). The runtime part only confirms the calls work.
 */
import { describe, expect, it } from 'vitest';
import {
  ApiKey,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  type DecodedRequest,
  type ProduceRequest,
} from '../../../src/engine/protocol/index.js';

describe('public types', () => {
  it('type bodies by literal API key and accept plain objects for run-time keys', () => {
    const frame = encodeResponse(ApiKey.Heartbeat, 1, 1, { throttleTimeMs: 5, errorCode: 0 });
    // @ts-expect-error unknown property for a typed key
    encodeResponse(ApiKey.Heartbeat, 1, 1, { throttleTimeMs: 5, bogus: 1 });
    // @ts-expect-error wrong value type
    encodeRequest(ApiKey.Heartbeat, 1, 1, 'c', { generationId: 'one' });
    const dynamicKey: number = ApiKey.Heartbeat;
    expect(encodeResponse(dynamicKey, 1, 1, { throttleTimeMs: 5, errorCode: 0 }).equals(frame)).toBe(true);

    const decoded = decodeResponse(ApiKey.Heartbeat, 1, frame.subarray(4));
    const throttle: number = decoded.body.throttleTimeMs;
    expect(throttle).toBe(5);
    const untyped = decodeResponse(dynamicKey, 1, frame.subarray(4));
    // @ts-expect-error a run-time key gives an unknown body
    void untyped.body.throttleTimeMs;

    const produce = null as unknown as DecodedRequest<typeof ApiKey.Produce>;
    const body: ProduceRequest | undefined = produce?.body;
    expect(body).toBeUndefined();
  });
});
