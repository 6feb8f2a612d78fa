import type { ImportRecord } from './domain';

export const importSummaryView = (r: ImportRecord) => ({
  importId: r.importId,
  storeId: r.storeId,
  status: r.status,
  counts: r.counts,
  ...(r.reason ? { reason: r.reason } : {}),
  createdAt: r.createdAt,
  startedAt: r.startedAt ?? null,
  finishedAt: r.finishedAt ?? null,
});

export const importView = (r: ImportRecord, reportUrl?: string) => ({
  ...importSummaryView(r),
  errors: r.errors.map((e) => ({
    line: e.line,
    ...(e.column ? { column: e.column } : {}),
    reason: e.reason,
  })),
  ...(reportUrl ? { reportUrl } : {}),
});
