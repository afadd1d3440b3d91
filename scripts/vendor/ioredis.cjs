module.exports = require('ioredis');
