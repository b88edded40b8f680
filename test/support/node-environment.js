/**
 * Jest's node environment, with the host's typed-array constructors. Native addons
 * (onnxruntime-node) create typed arrays in the host realm; onnxruntime's JS checks them with
 * `instanceof Float32Array` in the test's realm, which fails with jest's own copies
 * ("A float32 tensor's data must be type of function Float32Array()").
 */
const { TestEnvironment } = require('jest-environment-node');

const TYPED = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class HostTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED) this.global[name] = globalThis[name];
  }
}

module.exports = HostTypedArraysEnvironment;
