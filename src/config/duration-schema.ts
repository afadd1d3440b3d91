// The duration value of agents.yaml (timeouts, TTLs, delays): shared by the file's schema and provider descriptors.
import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from '../util/duration.js';

function inRange(value: number | string): boolean {
  try {
    parseDuration(value);
    return true;
  } catch {
    return false;
  }
}

export const duration = z
  .union([z.number().positive(), z.string().regex(DURATION_PATTERN)])
  // What a Node timer can wait: a longer (or zero) timeout would fire at once.
  .refine(inRange, { message: 'must be a duration from 1ms to 24 days', when: (payload) => payload.issues.length === 0 })
  .meta({ title: 'duration', description: 'A duration: seconds as a number, or a string such as "500ms", "90s", "5m", "1h".' });
