// The only importer of BullMQ: imported dynamically by redis-task-queue.ts, so the BullMQ bundle
// (dist/vendor/bullmq.cjs, which requires dist/vendor/ioredis.cjs: one ioredis) is loaded the first time a process
// serves tasks on Redis, and never by one that has no Redis.
export { Queue, Worker, type Job } from 'bullmq';
