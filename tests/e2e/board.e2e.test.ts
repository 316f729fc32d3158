// The pipeline board, follow-up plans and 工作台 in a real browser: `crm demo`
// + `crm serve` on a temp data dir, Debian Chromium through playwright-core.
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/core'
import { crm, launchBrowser, messageShown, openAppPage, pageApi, serve, type Served, SHOTS } from './serve'

let server: Served
let browser: Browser
let page: Page
const problems: string[] = []

beforeAll(async () => {
  const dataDir = tempDir('crm-e2e-board-')
  const demo = crm(['demo', '--data-dir', dataDir, '--json'])
  expect(demo.status, demo.stderr).toBe(0)
  // Due tasks looked for every second (30 s in use), so the reminder test need not wait long.
  server = await serve(dataDir, ['--reminder-seconds', '1'])
  browser = await launchBrowser()
  page = await openAppPage(browser, problems, { firstRunDone: true })
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const go = (hashPath: string) => page.goto(`${server.url}/#${hashPath}`)
const column = (key: string) => page.locator(`[data-testid="board-column-${key}"]`)

const apiCall = <T>(method: string, input: unknown) => pageApi<T>(page, method, input)

async function cardInfo(card: Locator): Promise<{ id: number; title: string }> {
  return { id: Number(await card.getAttribute('data-card-id')), title: await card.locator('.bcard__title').innerText() }
}

/**
 * Drag with the real mouse, as a person does: press on the card and move until the board
 * shows the drag, move over the target until its column lights up, then release. Waiting
 * on what the page shows, not on time, keeps a busy machine from releasing early.
 */
async function mouseDrag(from: Locator, toColumn: Locator): Promise<void> {
  const a = (await from.boundingBox())!
  await page.mouse.move(a.x + a.width / 2, a.y + 24)
  await page.mouse.down()
  await page.mouse.move(a.x + a.width / 2 + 30, a.y + 50, { steps: 4 })
  await page.locator('[data-testid="board"].is-dragging').waitFor({ timeout: 10_000 })
  const b = (await toColumn.locator('[data-testid="column-body"]').boundingBox())!
  await page.mouse.move(b.x + b.width / 2, b.y + Math.min(200, b.height / 2), { steps: 12 })
  await toColumn.locator('.bcol__drop.is-over').waitFor({ timeout: 10_000 })
  await page.mouse.up()
}

/**
 * Record what the page sees of the next drag (mouse and drag events, their targets), for a
 * failure message that tells a drag that never started from a drop that did nothing.
 */
async function watchDrag(): Promise<() => Promise<string>> {
  // Page code as text: the tests are compiled without the DOM's types.
  await page.evaluate(`(() => {
    if (!window.__dragLog)
      for (const type of ['mousedown', 'dragstart', 'dragenter', 'drop', 'dragend', 'mouseup', 'click'])
        window.addEventListener(type, (e) => window.__dragLog.push(Math.round(performance.now()) + ' ' + type + ' ' + (e.target?.className ?? '')), true)
    window.__dragLog = []
  })()`)
  return () =>
    page.evaluate(`JSON.stringify({
      events: window.__dragLog,
      url: location.href,
      shown: [...document.querySelectorAll('.el-message, .el-dialog, .el-notification, .el-overlay')].map((e) => e.className + ': ' + e.innerText.slice(0, 80)),
    })`)
}

/** "YYYY-MM-DD HH:mm" in the business time zone, as the app shows instants. */
function shanghai(iso: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  )
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

describe('pipeline board (看板)', () => {
  it('drags a card to the next stage with the mouse; the move survives a reload', async () => {
    await go('/opportunities?view=board')
    const card = column('potential').locator('.bcard').first()
    await card.waitFor()
    // Column headers carry count and sums.
    expect(await column('potential').locator('[data-testid="column-count"]').innerText()).toMatch(/^\d[\d,]*$/)
    expect(await column('potential').locator('[data-testid="column-amount"]').innerText()).toMatch(/^¥/)
    const { id, title } = await cardInfo(card)
    const seen = await watchDrag()
    try {
      await mouseDrag(card, column('intent'))
      await messageShown(page, '意向商机', 'success', 15_000)
    } catch (err) {
      await page.screenshot({ path: join(SHOTS, 'board-drag-failed.png') })
      throw new Error(`${(err as Error).message}\nwhat the page saw: ${await seen()}`)
    }
    expect(await column('intent').locator(`[data-card-id="${id}"]`).count()).toBe(1)
    expect(await column('potential').locator(`[data-card-id="${id}"]`).count()).toBe(0)
    await page.screenshot({ path: join(SHOTS, 'board.png') })

    // Reload, narrowed to this deal by the search filter (kept in the URL).
    await go(`/opportunities?view=board&q=${encodeURIComponent(title)}`)
    await page.reload()
    await column('intent').locator(`[data-card-id="${id}"]`).waitFor()
    expect(await column('potential').locator(`[data-card-id="${id}"]`).count()).toBe(0)
    expect((await apiCall<{ stageName: string }>('opportunities:get', { id })).stageName).toBe('意向商机')
    expect(problems).toEqual([])
  })

  it('moving a card to 输单 asks for the lost reason, then the card lands in 输单', async () => {
    await go('/opportunities?view=board')
    const card = column('potential').locator('.bcard').first()
    await card.waitFor()
    const { id, title } = await cardInfo(card)
    // The ⋯ menu ("移动到阶段"), the keyboard-reachable way to move a card.
    await card.hover()
    await card.locator('[data-testid="card-menu"]').click()
    await page.click('[data-testid="move-to-lost"]')
    const dialog = page.locator('[data-testid="move-dialog"]')
    await dialog.waitFor()
    expect(await dialog.innerText()).toContain('输单原因')
    // Nothing moves before the reason is given.
    expect(await column('potential').locator(`[data-card-id="${id}"]`).count()).toBe(1)
    await page.click('[data-testid="move-confirm"]')
    await dialog.getByText('请选择或填写输单原因').waitFor()
    await page.click('[data-testid="move-lost-reason"]')
    await page.locator('.el-select-dropdown__item').filter({ hasText: '价格过高' }).click()
    await page.screenshot({ path: join(SHOTS, 'board-lost-reason.png') })
    await page.click('[data-testid="move-confirm"]')
    await messageShown(page, '输单')

    await go(`/opportunities?view=board&q=${encodeURIComponent(title)}`)
    await page.reload()
    await column('lost').locator(`[data-card-id="${id}"]`).waitFor()
    const deal = await apiCall<{ status: string; lostReason: string }>('opportunities:get', { id })
    expect(deal).toMatchObject({ status: 'lost', lostReason: '价格过高' })
    expect(problems).toEqual([])
  })
})

describe('board views on the server', () => {
  it('imports a view kept in this browser once, saves a shared view, and reopens it after a reload', async () => {
    // A view an earlier version kept in localStorage goes to the server on the next visit.
    // It is planted from 工作台, where no board is mounted: a board whose filter bar mounts
    // late (a busy machine) would take it before the visit, and its toast would go with a reload.
    await go('/')
    await page.locator('[data-testid="dashboard-report-cards"]').waitFor()
    const info = await apiCall<{ currentUser: { id: number } }>('app:info', {})
    const legacyKey = `crm.board.views.${info.currentUser.id}`
    await page.evaluate(`localStorage.setItem(${JSON.stringify(legacyKey)}, ${JSON.stringify(JSON.stringify([{ id: 'x1', name: '本机旧视图', filters: { source: '官网' } }]))})`)
    await go('/opportunities?view=board')
    await messageShown(page, '转存到服务器')
    const imported = await apiCall<Array<{ name: string; filters: Record<string, unknown>; shared: boolean }>>('views:list', { entity: 'board' })
    expect(imported.map((v) => [v.name, v.filters, v.shared])).toEqual([['本机旧视图', { source: '官网' }, false]])
    expect(await page.evaluate(`localStorage.getItem(${JSON.stringify(legacyKey)})`)).toBeNull()

    // Filter the board (amount ≥ ¥100,000), save it as a shared view.
    type BoardAnswer = { columns: Array<{ stage: { key: string }; count: number }> }
    const potentialCount = async (filters: Record<string, unknown>) => (await apiCall<BoardAnswer>('board:get', filters)).columns.find((c) => c.stage.key === 'potential')!.count
    const shownCount = async () => Number((await column('potential').locator('[data-testid="column-count"]').innerText()).replace(/,/g, ''))
    const filteredCount = await potentialCount({ amountMinFen: 10_000_000 })
    const allCount = await potentialCount({})
    expect(filteredCount).toBeLessThan(allCount)
    await go('/opportunities?view=board&amountMin=100000')
    await expect.poll(shownCount).toBe(filteredCount)
    await page.click('[data-testid="saved-views"]')
    await page.click('[data-testid="save-view"]')
    const dialog = page.locator('[data-testid="save-view-dialog"]')
    await dialog.waitFor()
    await dialog.locator('input[type="text"]').first().fill('十万以上')
    await dialog.locator('[data-testid="view-shared"]').click()
    await page.screenshot({ path: join(SHOTS, 'board-save-view.png') })
    await page.click('[data-testid="view-save-confirm"]')
    await messageShown(page, '十万以上')
    const saved = (await apiCall<Array<{ name: string; filters: Record<string, unknown>; shared: boolean }>>('views:list', { entity: 'board' })).find((v) => v.name === '十万以上')
    expect(saved).toMatchObject({ filters: { amountMinFen: 10_000_000 }, shared: true })

    // A plain board, reloaded, then the view reopened from the menu.
    await go('/opportunities?view=board')
    await page.reload()
    await column('potential').locator('.bcard').first().waitFor()
    await expect.poll(shownCount).toBe(allCount)
    await page.click('[data-testid="saved-views"]')
    await page.locator('[data-testid="saved-view-十万以上"]').waitFor()
    await page.screenshot({ path: join(SHOTS, 'board-views-menu.png') })
    await page.click('[data-testid="saved-view-十万以上"]')
    await expect.poll(() => page.url()).toContain('amountMin=100000')
    await expect.poll(shownCount).toBe(filteredCount)
    await expect.poll(() => page.locator('[data-testid="saved-views"]').innerText()).toContain('十万以上')
    expect(problems).toEqual([])
  })
})

describe('follow-up plans and 工作台', () => {
  it('applies the default plan to a deal: three tasks due in 24 h, on day 5 and on day 10', async () => {
    // A fresh deal, so the plan card shows this plan only.
    const account = await apiCall<{ id: number }>('accounts:create', { name: `跟进计划测试客户 ${Date.now()}` })
    const deal = await apiCall<{ id: number }>('opportunities:create', { title: '跟进计划测试商机', accountId: account.id, amountFen: 8_800_000 })
    await go(`/opportunities/${deal.id}`)
    await page.click('[data-testid="apply-plan"]')
    await page.locator('[data-testid="apply-plan-dialog"]').waitFor()
    const before = Date.now()
    await page.click('[data-testid="apply-plan-confirm"]')
    const tasks = page.locator('[data-testid="plans-card"] [data-testid="plan-task"]')
    await tasks.nth(2).waitFor()
    const after = Date.now()
    expect(await tasks.count()).toBe(3)

    const HOUR = 3_600_000
    const rows = await tasks.evaluateAll((els) => els.map((el) => ({ due: el.getAttribute('data-due')!, text: (el as unknown as { innerText: string }).innerText })))
    const expected = [
      { hours: 24, subject: '首次电话沟通：了解需求' },
      { hours: 5 * 24, subject: '发送产品资料和方案' },
      { hours: 10 * 24, subject: '第二次电话跟进：确认反馈' },
    ]
    expected.forEach((e, i) => {
      const due = Date.parse(rows[i].due)
      // Due = the moment the plan was applied + the step's offset (server clock ≈ ours).
      expect(due).toBeGreaterThanOrEqual(before + e.hours * HOUR - 2_000)
      expect(due).toBeLessThanOrEqual(after + e.hours * HOUR + 2_000)
      expect(rows[i].text).toContain(e.subject)
      expect(rows[i].text).toContain(shanghai(rows[i].due))
    })
    await page.locator('[data-testid="plans-card"]').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SHOTS, 'followup-plan.png') })
    expect(problems).toEqual([])
  })

  it('marks a task done from 工作台', async () => {
    await go('/')
    const task = page.locator('[data-testid="task"]').first()
    await task.waitFor()
    const activityId = Number(await task.getAttribute('data-activity-id'))
    await task.locator('[data-testid="task-complete"]').click()
    const box = page.locator('.el-message-box')
    await box.waitFor()
    await box.locator('input').fill('已电话沟通，客户同意下周演示')
    await box.locator('.el-button--primary').click()
    await messageShown(page, '已标记为完成')
    await expect.poll(() => page.locator(`[data-testid="task"][data-activity-id="${activityId}"]`).count()).toBe(0)
    const activity = await apiCall<{ doneAt: string | null; outcome: string | null }>('activities:get', { id: activityId })
    expect(activity.doneAt).not.toBeNull()
    expect(activity.outcome).toBe('已电话沟通，客户同意下周演示')
    await page.locator('[data-testid="my-day"]').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SHOTS, 'dashboard-my-day.png') })
    expect(problems).toEqual([])
  })

  it('a task falling due shows an in-app reminder to its owner; a click opens the deal', async () => {
    const account = await apiCall<{ id: number }>('accounts:create', { name: `提醒测试客户 ${Date.now()}` })
    const deal = await apiCall<{ id: number }>('opportunities:create', { title: '提醒测试商机', accountId: account.id, amountFen: 1_200_000 })
    await go('/')
    await page.locator('[data-testid="my-day"]').waitFor()
    // Owned by the signed-in user (the caller), due in three seconds: the main-process scheduler announces it.
    const subject = `到期提醒测试 ${Date.now()}`
    await apiCall('activities:create', { type: 'call', subject, dueAt: new Date(Date.now() + 3_000).toISOString(), opportunityId: deal.id })
    const notice = page.locator('[data-testid="reminder"]').filter({ hasText: subject })
    await notice.waitFor({ timeout: 20_000 })
    expect(await notice.innerText()).toContain('点击查看商机')
    // The notice slides in from the right: let it settle for the screenshot.
    await page.waitForTimeout(600)
    await page.screenshot({ path: join(SHOTS, 'reminder-notice.png') })
    await notice.click()
    await expect.poll(() => page.url()).toContain(`/opportunities/${deal.id}`)
    expect(problems).toEqual([])
  })

  it('a manager switches 工作台 to the team, and to one member', async () => {
    await go('/')
    await page.locator('[data-testid="my-day-scope"]').getByText('团队').click()
    const tasks = page.locator('[data-testid="team-tasks"]')
    await tasks.waitFor()
    await tasks.locator('[data-testid="team-task"]').first().waitFor()
    const owners = await tasks.locator('.myday__owner').allInnerTexts()
    expect(new Set(owners).size).toBeGreaterThan(1)
    await page.locator('[data-testid="my-day-bar"]').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SHOTS, 'dashboard-my-day-team.png') })
    // One member: every line is theirs.
    const member = owners[0]
    await page.click('[data-testid="my-day-member"]')
    await page.locator('.el-select-dropdown__item').filter({ hasText: member }).first().click()
    await expect.poll(async () => [...new Set(await tasks.locator('.myday__owner').allInnerTexts())]).toEqual([member])
    await page.locator('[data-testid="my-day-scope"]').getByText('我的').click()
    await tasks.waitFor({ state: 'detached' })
    expect(problems).toEqual([])
  })
})
