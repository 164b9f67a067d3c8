import { required } from '../args.js';

/** The flags that name one instance, shared by submit, review and extend. */
export const REF_OPTIONS = {
  directive: { type: 'string' },
  obligation: { type: 'string' },
  unit: { type: 'string' },
  event: { type: 'string' },
} as const;

export const REF_HELP = {
  vi: `  --directive   mã chỉ thị
  --obligation  mã nghĩa vụ
  --unit        mã đơn vị chủ trì
  --event       mã sự kiện (nghĩa vụ theo sự kiện, khi có nhiều sự kiện đang mở)`,
  en: `  --directive   directive id
  --obligation  obligation id
  --unit        assignee unit id
  --event       event id (event obligations with several open events)`,
};

export function refOf(values: { directive?: string; obligation?: string; unit?: string; event?: string }, command: string) {
  const ref = {
    directive: required(values.directive, '--directive', command),
    obligation: required(values.obligation, '--obligation', command),
    unit: required(values.unit, '--unit', command),
  };
  return values.event ? { ...ref, event: values.event } : ref;
}
