// 评分表 end to end: score an open deal, see the grade and the new history point,
// then the grade on the deal's board card (or list row when there is no board).
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/core'
import { crm, launchBrowser, openAppPage, serve, type Served, SHOTS } from './serve'

let server: Served
let browser: Browser
let page: Page
const problems: string[] = []

beforeAll(async () => {
  const dataDir = tempDir('crm-e2e-scoring-')
  const demo = crm(['demo', '--data-dir', dataDir, '--json'])
  expect(demo.status, demo.stderr).toBe(0)
  server = await serve(dataDir)
  browser = await launchBrowser()
  page = await openAppPage(browser, problems)
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const go = (hashPath: string) => page.goto(`${server.url}/#${hashPath}`)

/** An open deal's id: the first card of the first board column, else the first list row. */
async function openDealId(): Promise<number> {
  await go('/opportunities?view=board')
  const board = await page.waitForSelector('[data-testid="board"] [data-card-id], [data-testid="list-table"] .el-table__row', { timeout: 15_000 })
  const cardId = await board.getAttribute('data-card-id')
  if (cardId) return Number(cardId)
  await go('/opportunities?status=open')
  const link = page.locator('[data-testid="list-table"] .el-table__row a[href*="/opportunities/"]').first()
  const href = (await link.getAttribute('href')) ?? ''
  return Number(/opportunities\/(\d+)/.exec(href)?.[1])
}

describe('scoring form', () => {
  it('scores a deal and shows the grade on the detail page, the history and the board', async () => {
    const id = await openDealId()
    expect(id).toBeGreaterThan(0)
    await go(`/opportunities/${id}`)
    await page.waitForSelector('[data-testid="scoring-card"] [data-testid="score-open"]:not([disabled])')
    await page.waitForSelector('[data-testid="score-history"] .el-card__body > *')
    const counter = page.locator('[data-testid="score-history-count"]')
    const before = (await counter.count()) > 0 ? Number(await counter.textContent()) : 0
    await page.click('[data-testid="score-open"]')
    const crits = page.locator('[data-testid^="crit-"]')
    await crits.first().waitFor()
    const n = await crits.count()
    expect(n).toBeGreaterThan(0)
    for (let i = 0; i < n; i++) {
      const c = crits.nth(i)
      if ((await c.locator('.el-radio-group').count()) > 0) {
        if ((await c.locator('.el-radio-button.is-active').count()) === 0) await c.locator('.el-radio-button').first().click()
      } else if ((await c.locator('.el-rate').count()) > 0) {
        await c.locator('.el-rate__item').nth(4).click()
      } else {
        const input = c.locator('.el-input-number input')
        if (!(await input.inputValue())) {
          await input.fill('30')
          await input.blur()
        }
      }
    }
    await page.locator('textarea[data-testid="score-comment"], [data-testid="score-comment"] textarea').first().fill('端到端测试评分')
    const submit = page.locator('[data-testid="score-submit"]')
    await expect.poll(() => submit.isEnabled(), { timeout: 5_000 }).toBe(true)
    await page.screenshot({ path: join(SHOTS, 'scoring-form.png') })
    await submit.click()

    const grade = page.locator('[data-testid="scoring-card"] [data-testid="score-grade"]')
    await grade.waitFor()
    const g = (await grade.innerText()).trim()
    expect(['A', 'B', 'C', 'D']).toContain(g)
    await expect(page.locator('[data-testid="score-recommendation"]').innerText()).resolves.toMatch(/重点跟进|正常跟进|暂缓|放弃/)
    await expect.poll(async () => Number(await counter.textContent()), { timeout: 5_000 }).toBe(before + 1)
    await page.screenshot({ path: join(SHOTS, 'scoring-detail.png'), fullPage: true })

    await go('/opportunities?view=board')
    await page.waitForSelector('[data-testid="board"], [data-testid="list-table"]')
    if ((await page.locator('[data-testid="board"]').count()) > 0) {
      const card = page.locator(`[data-testid="board-card-${id}"]`)
      await card.waitFor()
      await expect(card.locator('[data-testid="card-grade"]').innerText()).resolves.toBe(g)
    } else {
      const cell = page.locator(`[data-testid="row-grade-${id}"]`)
      await cell.waitFor()
      await expect(cell.innerText()).resolves.toContain(g)
    }
    expect(problems).toEqual([])
  }, 90_000)
})
