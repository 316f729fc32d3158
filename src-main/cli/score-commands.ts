// `crm score retrain` and `crm score explain ID`: the learned win probability
// from the command line (the same services as Settings → 评分 and the detail page).
import { join } from 'node:path'
import { createCore } from '../api/core'
import { DB_FILE_NAME, resolveDataDir } from '../db/open'
import { systemCtx } from '../services/context'
import { ensureLocalAdmin } from '../services/users'
import { explainWinProbability, getWinModelStatus, retrainWinModel, winModelExplainInput, winModelRetrainInput } from '../services/win-model'
import { AppError, type Locale } from '../shared/errors'
import type { CommonFlags } from './commands'
import type { Output } from './output'

export interface ScoreFlags extends CommonFlags {
  locale: Locale
  sub?: string
  arg?: string
  /** lead | opportunity (default). */
  target?: string
  holdout?: string
  seed?: number
  outcomeField?: number
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`

export async function cmdScore(flags: ScoreFlags, out: Output): Promise<void> {
  const target = flags.target === 'lead' || flags.target === 'leads' ? 'lead' : flags.target === undefined || flags.target === 'opportunity' || flags.target === 'opportunities' ? 'opportunity' : null
  if (!target) throw new AppError('VALIDATION', { detail: `--target ${flags.target} (lead|opportunity)` })
  if (flags.sub !== 'retrain' && flags.sub !== 'explain' && flags.sub !== 'status') throw new AppError('VALIDATION', { detail: 'crm score retrain | status | explain ID' })
  const dir = resolveDataDir(flags.dataDir)
  const core = await createCore(join(dir, DB_FILE_NAME))
  try {
    const db = core.database.db
    const admin = await ensureLocalAdmin(db, systemCtx())
    const ctx = systemCtx({ userId: admin.id, locale: flags.locale })
    const en = flags.locale === 'en'
    if (flags.sub === 'explain') {
      const input = winModelExplainInput.parse({ entity: target, id: Number(flags.arg) })
      const x = await explainWinProbability(db, ctx, input)
      const fmt = (f: { label: string; value: string; effect: number }) => `  ${f.effect > 0 ? '+' : ''}${f.effect.toFixed(2)}  ${f.label}: ${f.value}`
      const lines = [
        `${en ? 'Probability' : '赢率'}：${x.probability ?? '—'}%（${x.probabilitySource}）  ${en ? 'stage' : '阶段'} ${x.stageProbability ?? '—'}%  ${en ? 'learned' : '模型'} ${x.learnedProbability ?? '—'}%`,
        x.message,
        ...(x.factors.for.length ? [en ? 'For:' : '有利因素：', ...x.factors.for.map(fmt)] : []),
        ...(x.factors.against.length ? [en ? 'Against:' : '不利因素：', ...x.factors.against.map(fmt)] : []),
      ]
      out.result(x, lines.join('\n'))
      return
    }
    const status =
      flags.sub === 'status'
        ? await getWinModelStatus(db, ctx, { target })
        : await retrainWinModel(db, ctx, winModelRetrainInput.parse({ target, holdout: flags.holdout, seed: flags.seed, outcomeFieldId: flags.outcomeField }))
    const h = status.metrics?.holdout
    const lines = [status.message]
    if (h) {
      lines.push(
        `${en ? 'hold-out' : '检验集'}：${h.split === 'time' ? (en ? 'newest' : '最新') : en ? 'random' : '随机'} ${h.test}，${en ? 'trained on' : '训练'} ${h.train}；AUC ${h.auc.toFixed(3)}（${h.baseline.feature} ${h.baseline.auc.toFixed(3)}）；Brier ${h.brier.toFixed(3)}（${en ? 'base rate' : '基准'} ${h.brierBaseRate.toFixed(3)}）`,
        en ? 'predicted   observed   count' : '预测概率     实际比例    数量',
        ...h.calibration.map((r) => `${pct(r.from).padStart(4)}–${pct(r.to).padEnd(5)} ${pct(r.predicted).padStart(5)}   ${pct(r.observed).padStart(5)}   ${String(r.count).padStart(6)}`),
      )
    }
    out.result(status, lines.join('\n'))
  } finally {
    await core.close()
  }
}
