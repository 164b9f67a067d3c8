/**
 * Giới hạn số lần thử mật khẩu: một bộ đếm cho mỗi địa chỉ máy khách, dùng chung cho mọi cách thử
 * (đăng nhập và lấy mã truy cập qua API, bắt đầu đăng nhập một lần, biểu mẫu đăng nhập của cổng).
 * Trước đây cổng có bộ đếm riêng, nên kẻ dò mật khẩu được gấp đôi số lần.
 * The sign-in rate limit: one counter per client address, shared by every way of trying a password
 * (the API's login and token routes, the single sign-on start, the portal's sign-in form). The
 * portal used to register a limiter of its own, which gave a password guesser both allowances.
 *
 * app.ts registers this plugin once, at the root, before the routes that use `app.signInLimit`;
 * authRoutes registers it itself only when it runs without it (the identity tests' bare server).
 * Behind a reverse proxy the server needs trustProxy for request.ip to be the client's.
 */
import rateLimit from '@fastify/rate-limit';
import type { preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { ServerSettings } from '../../common/config.js';
import { HttpError } from '../errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The one sign-in limiter: an onRequest hook for every route that checks a password. */
    signInLimit: preHandlerAsyncHookHandler;
  }
}

export const signInLimitPlugin = fp<{ settings: ServerSettings }>(
  async (app, { settings }) => {
    // Only the routes that ask for it (global: false).
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => {
        const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
        return new HttpError(429, 'too-many-attempts', {
          vi: `Quá nhiều lần đăng nhập từ địa chỉ này (tối đa ${context.max} lần mỗi phút). Thử lại sau ${seconds} giây.`,
          en: `Too many sign-in attempts from this address (at most ${context.max} a minute). Try again in ${seconds} seconds.`,
        });
      },
    });
    // One hook, so one store and one key per address: every route given it shares the budget.
    app.decorate('signInLimit', app.rateLimit({ max: settings.loginRatePerMinute, timeWindow: 60_000 }));
  },
  { name: 'chithi-sign-in-limit' },
);
