/**
 * PGlite reads `process.exitCode` behind the guard `globalThis.process?.env && …`. A Vite build
 * defines `globalThis.process.env` as `{}`, so the guard folds to true and the bare `process` is
 * read in a worker that has none ("process is not defined"). An empty `process` here keeps that
 * read harmless; PGlite's checks for Node look at `process.versions`, which it lacks, so it still
 * takes its browser paths.
 */
const scope = globalThis as { process?: object };
scope.process ??= {};
