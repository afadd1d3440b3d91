module.exports = require('@anthropic-ai/sdk');
