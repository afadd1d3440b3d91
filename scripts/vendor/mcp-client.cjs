// The MCP client SDK (downstream mcpServers): both entry points in one bundle, loaded only when a server starts.
module.exports = { ...require('@modelcontextprotocol/client'), ...require('@modelcontextprotocol/client/stdio') };
