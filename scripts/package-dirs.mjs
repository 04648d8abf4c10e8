// Folders of dist/ that make up the packages other than the library (see pack-package.mjs): the
// library's build neither ships nor vendors their dependencies.
export const PACKAGE_DIRS = {
  // neuroevolution on Redis workers: bullmq and ioredis.
  'neurite-redis': ['redis'],
  // the command line: commander, cli-progress, vega, and neurite-redis for `worker` and `evolve --redis`.
  'neurite-cli': ['cli', 'report', 'node'],
};
export const ALL_PACKAGE_DIRS = Object.values(PACKAGE_DIRS).flat();
