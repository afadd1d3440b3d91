module.exports = require('bullmq');
