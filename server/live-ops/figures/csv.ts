import type { FiguresMinute } from '../../protocol/views.ts';

export const CSV_HEADER = ['time', 'viewers_peak', 'joined', 'comments', 'tapped', 'orders_reserved', 'orders_paid', 'gmv_reserved_fen', 'gmv_paid_fen'];

/**
 * The room's per-minute timeline as the spreadsheet the brand opens: a header row, then one row per
 * minute, its time as `YYYY-MM-DD HH:mm` in `timeZone` (the brand's, Asia/Shanghai by default).
 */
export function timelineCsv(rows: readonly FiguresMinute[], timeZone: string): string {
  const time = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const lines = rows.map((r) => [time.format(r.minute), r.viewersPeak, r.joined, r.comments, r.tapped, r.reserved, r.paid, r.gmvReserved, r.gmvPaid].join(','));
  return `${[CSV_HEADER.join(','), ...lines].join('\r\n')}\r\n`;
}
