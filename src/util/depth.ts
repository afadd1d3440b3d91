/** Whether a JSON value nests deeper than `limit`, found without recursion (a hostile value may nest 100,000 deep). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (!value || typeof value !== 'object') return false;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node as object)) {
      if (child && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
