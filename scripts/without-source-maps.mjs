// Imported after tsx by scripts/on-production-node.mjs (in every thread): the image runs compiled JavaScript with
// Node's source maps off (`node dist/...`), while tsx turns them on, and then every Error's stack pays for mapping.
// The SDK's workflow sandbox makes an Error for each promise it sees, so a benchmark with them on measures more than
// production does.
process.setSourceMapsEnabled(false);
