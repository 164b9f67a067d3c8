import { QueryNotRegisteredError, QueryRejectedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TemporalSettings } from '../common/config.js';
import { explainAuthStatus, explainCallFailure, grpcStatus } from '../common/temporal-errors.js';
import type { Bilingual } from '../common/cli-spec.js';
import { UserError } from '../common/errors.js';

const capital = (t: string): string => t.charAt(0).toUpperCase() + t.slice(1);

/**
 * Sends the signal of an action whose row is already written (submit, review, extend). The write
 * and the signal cannot be one transaction, so a failure here leaves a stored action the instance
 * never heard of: the error names its id and says how to send it again. Running the same command
 * with `--id` finds the stored row (nothing is written twice) and signals again; the workflow takes
 * an id once, so a signal that did arrive after all is not applied twice.
 */
export async function signalAction(
  client: Client,
  workflowId: string,
  name: string,
  payload: unknown,
  action: { id: string; what: Bilingual; temporal?: TemporalSettings | undefined },
): Promise<void> {
  const { id, what } = action;
  try {
    await client.workflow.getHandle(workflowId).signal(name, payload);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new UserError(
        {
          vi: `Phiên ${workflowId} không còn chạy; ${what.vi} đã được lưu (mã ${id}) nhưng không được ghi nhận.`,
          en: `Instance ${workflowId} is no longer running; ${what.en} was stored (id ${id}) but not taken into account.`,
        },
        1,
        { cause: err },
      );
    }
    const detail = err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err);
    const why = (action.temporal && explainCallFailure(action.temporal, err)?.text) ?? { vi: detail, en: detail };
    throw new UserError(
      {
        vi: `${capital(what.vi)} đã được lưu (mã ${id}) nhưng chưa gửi được tới phiên ${workflowId}: ${why.vi}\nKhông mất gì: chạy lại đúng lệnh này, thêm --id ${id}, để gửi lại (không lưu thêm bản nào).`,
        en: `${capital(what.en)} was stored (id ${id}) but could not be sent to instance ${workflowId}: ${why.en}\nNothing is lost: run the same command again with --id ${id} to send it again (nothing is stored twice).`,
      },
      1,
      { cause: err },
    );
  }
}

export interface QueryContext {
  workflowId: string;
  /** The queue the instance's worker should poll, to name it. */
  taskQueue: string;
  namespace: string;
  /** For an authentication failure: which credentials were sent. */
  temporal?: TemporalSettings;
  /** The deadline the query had, in seconds. */
  waitedSeconds?: number;
}

const DEADLINE_EXCEEDED = 4;
const FAILED_PRECONDITION = 9;

/**
 * Names why a query failed. A query is answered by a worker, so "no worker polls the queue" is one
 * cause; a workflow the server does not have, credentials it refuses, or a worker running code that
 * lacks the query are others, and each needs a different fix.
 */
export function explainQueryFailure(err: unknown, ctx: QueryContext): UserError {
  const { workflowId: id, taskQueue: q, namespace: ns } = ctx;
  const fail = (vi: string, en: string) => new UserError({ vi, en }, 1, { cause: err });
  if (err instanceof WorkflowNotFoundError) {
    return fail(
      `Không tìm thấy workflow ${id} trong namespace "${ns}" của máy chủ Temporal, dù cơ sở dữ liệu có ghi nó: TEMPORAL_NAMESPACE/TEMPORAL_ADDRESS có đúng là nơi đã triển khai không?`,
      `Workflow ${id} was not found in namespace "${ns}" of the Temporal server, though the database records it: are TEMPORAL_NAMESPACE and TEMPORAL_ADDRESS those it was deployed to?`,
    );
  }
  if (err instanceof QueryNotRegisteredError) {
    return fail(
      `Worker đang chạy ${id} không trả lời truy vấn này (${err.message}): có thể là một phiên bản khác của chithi.`,
      `The worker running ${id} does not answer the query (${err.message}): it may run another version of chithi.`,
    );
  }
  if (err instanceof QueryRejectedError) {
    return fail(`Phiên ${id} đã đóng (${err.status}); không truy vấn được.`, `Instance ${id} is closed (${err.status}); it cannot be queried.`);
  }
  const status = grpcStatus(err);
  if (status) {
    const auth = explainAuthStatus(ctx.temporal ?? { namespace: ns }, status);
    if (auth) return new UserError(auth, 1, { cause: err });
    if (status.code === DEADLINE_EXCEEDED || (status.code === FAILED_PRECONDITION && /poller/i.test(status.details))) {
      const waited = ctx.waitedSeconds !== undefined ? ` trong ${ctx.waitedSeconds} giây` : '';
      const waitedEn = ctx.waitedSeconds !== undefined ? ` within ${ctx.waitedSeconds} s` : '';
      return fail(
        `Phiên ${id} không trả lời${waited}: không có worker nào lắng nghe hàng đợi "${q}" (${status.details}). Worker có đang chạy với cùng TEMPORAL_TASK_QUEUE không? (npm start)`,
        `Instance ${id} did not answer${waitedEn}: no worker is polling task queue "${q}" (${status.details}). Is the worker running, with the same TEMPORAL_TASK_QUEUE? (npm start)`,
      );
    }
  }
  const why = err instanceof Error ? err.message + (status ? ` (${status.details})` : '') : String(err);
  return fail(`Truy vấn phiên ${id} thất bại: ${why}`, `Querying instance ${id} failed: ${why}`);
}

/** A query with a deadline (the server would wait for a worker forever), its failure explained. */
export async function queryOrExplain<T>(
  client: Client,
  query: string,
  ctx: Omit<QueryContext, 'namespace' | 'waitedSeconds'> & { timeoutSeconds?: number },
): Promise<T> {
  const seconds = ctx.timeoutSeconds ?? 10;
  try {
    return await client.connection.withDeadline(Date.now() + seconds * 1000, () => client.workflow.getHandle(ctx.workflowId).query<T>(query));
  } catch (err) {
    throw explainQueryFailure(err, { ...ctx, namespace: client.options.namespace, waitedSeconds: seconds });
  }
}
