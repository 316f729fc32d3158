// How a follow-up step's time window reads: "1 天内", "第 3–5 天", "4 小时内".
import { t } from '@/i18n'

export function stepWindow(step: { earliestHours: number; dueHours: number }): string {
  const { earliestHours: from, dueHours: to } = step
  const days = from % 24 === 0 && to % 24 === 0
  if (from === 0) return days ? t('board.plans.withinDays', { n: to / 24 }) : t('board.plans.withinHours', { n: to })
  return days ? t('board.plans.dayRange', { from: from / 24, to: to / 24 }) : t('board.plans.hourRange', { from, to })
}
