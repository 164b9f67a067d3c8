/**
 * Cycles in a directed graph, each reported once as the node path that closes it
 * (`a → b → a`). Iterative DFS: graphs come from user files and may be long chains.
 */
export function findCycles(nodes: Iterable<string>, edges: (node: string) => readonly string[]): string[][] {
  const color = new Map<string, 'grey' | 'black'>();
  const cycles: string[][] = [];
  for (const root of nodes) {
    if (color.has(root)) continue;
    const path: string[] = [];
    const stack: { node: string; next: number }[] = [{ node: root, next: 0 }];
    color.set(root, 'grey');
    path.push(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const out = edges(top.node);
      if (top.next < out.length) {
        const n = out[top.next++]!;
        const c = color.get(n);
        if (c === 'grey') cycles.push([...path.slice(path.indexOf(n)), n]);
        else if (c === undefined) {
          color.set(n, 'grey');
          path.push(n);
          stack.push({ node: n, next: 0 });
        }
      } else {
        color.set(top.node, 'black');
        path.pop();
        stack.pop();
      }
    }
  }
  return cycles;
}
