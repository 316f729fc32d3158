import { z } from 'zod'
import type { SelectQueryBuilder } from 'kysely'
import type { Database } from '../db/database'

export const pagingInput = {
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(500).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
}

export interface Page<T> {
  rows: T[]
  total: number
  page: number
  pageSize: number
}

/** Run a filtered query twice: once for the page of rows, once for the total. */
export async function fetchPage<O>(
  query: SelectQueryBuilder<Database, any, O>,
  countQuery: SelectQueryBuilder<Database, any, unknown>,
  page: number,
  pageSize: number,
): Promise<Page<O>> {
  const [rows, count] = await Promise.all([
    query.limit(pageSize).offset((page - 1) * pageSize).execute(),
    countQuery.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number((count as { n: number }).n), page, pageSize }
}
