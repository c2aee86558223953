// One place for the tests' ports: the demo's freePort (any free port, from the kernel) and the passive ranges that the
// benchmarks share (scripts/lib/free-ports.mjs).
export {freePort} from '../../source/demo/free-port.js';
export {freePortRange, releasePortRange} from '../../scripts/lib/free-ports.mjs';
