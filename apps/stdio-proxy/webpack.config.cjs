// The stdio-proxy ships as one self-contained file: unlike the api and the worker, it bundles its dependencies
// (the MCP SDK and what it imports), so that its image holds Node.js and dist/apps/stdio-proxy/main.js only.
module.exports = (options) => ({
  ...options,
  externals: [],
  externalsPresets: { node: true },
});
