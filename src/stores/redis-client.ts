// The only importer of ioredis: imported dynamically by redis.ts, so the ioredis bundle (dist/vendor/ioredis.cjs)
// is required the first time a process opens a Redis connection, and never by one that has no Redis.
import { Redis, type RedisOptions } from 'ioredis';

export function createRedisClient(url: string, options: RedisOptions): Redis {
  return new Redis(url, options);
}
