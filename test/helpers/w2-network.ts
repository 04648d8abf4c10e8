// The network of workloads W2 and W3 (../shared/bench/WORKLOADS.md), as the bench defines it.
export { W2_LAYERS } from '../../bench/lib/w2-layers.mjs';
