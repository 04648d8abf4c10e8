// Which part of the repository each package of packages/ ships (see pack-package.mjs).

// The library: every file and folder of dist/ not listed below, plus these files of the repository
// (its README and what the README links, so the links work inside the package).
export const LIBRARY = 'neurite';
export const LIBRARY_EXTRAS = ['README.md', 'docs', 'examples', 'bench/RESULTS.md'];

// Folders of dist/ that make up the packages other than the library: the library's build neither
// ships nor vendors their dependencies.
export const PACKAGE_DIRS = {
  // neuroevolution on Redis workers: bullmq and ioredis.
  'neurite-redis': ['redis'],
  // the command line: commander, cli-progress, vega, and neurite-redis for `worker` and `evolve --redis`.
  'neurite-cli': ['cli', 'report', 'node'],
};
export const ALL_PACKAGE_DIRS = Object.values(PACKAGE_DIRS).flat();
