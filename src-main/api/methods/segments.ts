// Leads and customers beyond plain records: conversion, bulk actions, merging,
// duplicates, personas and segment facets, saved views, custom fields, source channels.
import { z } from 'zod'
import * as bulk from '../../services/bulk'
import * as custom from '../../services/custom-fields'
import { duplicatesInput, findDuplicates } from '../../services/duplicates'
import { id } from '../../services/fields'
import { convertLead, leadConvertInput } from '../../services/lead-convert'
import { mergeAccounts, mergeInput, mergeLeads } from '../../services/merge'
import * as personas from '../../services/personas'
import * as views from '../../services/saved-views'
import * as channels from '../../services/source-channels'
import { command, query, type MethodDef } from '../define'

const byId = z.object({ id }).strict()
const none = z.object({}).strict()
const manage = { roles: ['admin', 'manager'] } as const

export const segmentMethods = {
  'leads:convert': command(leadConvertInput, convertLead),
  'leads:bulkAssign': command(bulk.bulkAssignInput, bulk.bulkAssign('leads')),
  'leads:bulkTag': command(bulk.bulkTagInput, bulk.bulkTag('leads')),
  'leads:bulkStatus': command(bulk.bulkStatusInput, bulk.bulkLeadStatus),
  'leads:bulkDelete': command(bulk.bulkDeleteInput, bulk.bulkDeleteLeads, manage),
  'leads:merge': command(mergeInput, mergeLeads),
  'accounts:bulkAssign': command(bulk.bulkAssignInput, bulk.bulkAssign('accounts')),
  'accounts:bulkTag': command(bulk.bulkTagInput, bulk.bulkTag('accounts')),
  'accounts:merge': command(mergeInput, mergeAccounts, manage),
  'duplicates:find': query(duplicatesInput, findDuplicates),

  'personas:list': query(none, async (db) => personas.listPersonas(db)),
  'personas:get': query(byId, personas.getPersona),
  'personas:save': command(personas.personaSaveInput, personas.savePersona),
  'personas:delete': command(byId, personas.deletePersona),
  'segments:count': query(personas.segmentCountInput, async (db, _ctx, input) => personas.countSegment(db, input.criteria)),
  'segments:facets': query(none, async (db) => personas.segmentFacets(db)),

  'views:list': query(views.viewListInput, views.listViews),
  'views:save': command(views.viewSaveInput, views.saveView),
  'views:delete': command(byId, views.deleteView),

  'customFields:list': query(custom.customFieldListInput, custom.listCustomFields),
  'customFields:create': command(custom.customFieldCreateInput, custom.createCustomField, manage),
  'customFields:update': command(custom.customFieldUpdateInput, custom.updateCustomField, manage),
  'customFields:delete': command(byId, custom.deleteCustomField, { roles: ['admin'] }),
  'customValues:get': query(custom.customValuesGetInput, custom.getCustomValues),
  'customValues:set': command(custom.customValuesSetInput, custom.setCustomValues),

  'channels:list': query(channels.channelListInput, channels.listChannels),
  'channels:create': command(channels.channelCreateInput, channels.createChannel, manage),
  'channels:update': command(channels.channelUpdateInput, channels.updateChannel, manage),
  'channels:reorder': command(channels.channelReorderInput, channels.reorderChannels, manage),
  'channels:delete': command(byId, channels.deleteChannel, manage),
} satisfies Record<string, MethodDef<z.ZodType, unknown>>
