import type { FastifyRequest } from 'fastify';
import type { Lang } from '../common/cli-spec.js';

/**
 * The language of a request's messages: English when the client prefers it (`Accept-Language`,
 * quality values honoured), Vietnamese otherwise: the people this serves read Vietnamese first.
 */
export function langOf(request: Pick<FastifyRequest, 'headers'>): Lang {
  const header = request.headers['accept-language'];
  if (typeof header !== 'string' || header === '') return 'vi';
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((r) => Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) {
    if (r.tag === 'vi' || r.tag.startsWith('vi-')) return 'vi';
    if (r.tag === 'en' || r.tag.startsWith('en-')) return 'en';
  }
  return 'vi';
}
