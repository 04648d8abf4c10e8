// Folders of dist/ that make up the neurite-cli package rather than the library (see pack-cli.mjs).
export const CLI_DIRS = ['cli', 'report', 'node'];
