// Core records: users, settings, accounts, contacts, leads, opportunities, activities.
import { z } from 'zod'
import * as accounts from '../../services/accounts'
import * as activities from '../../services/activities'
import { getAppInfo } from '../../services/app-info'
import * as contacts from '../../services/contacts'
import { dashboardInput, getDashboard } from '../../services/dashboard'
import { generateDemo, demoInput } from '../../demo/generate'
import { id } from '../../services/fields'
import * as leads from '../../services/leads'
import * as opportunities from '../../services/opportunities'
import { getSettings, settingsUpdateInput, updateSettings } from '../../services/settings'
import { listStages } from '../../services/stages'
import { getTimeline, timelineInput } from '../../services/timeline'
import * as users from '../../services/users'
import type { JobEvent } from '../../shared/api'
import { command, job, query, type MethodDef } from '../define'

const none = z.object({}).strict()
const byId = z.object({ id }).strict()

export const coreMethods = {
  'app:info': query(none, getAppInfo),
  'settings:get': query(none, getSettings),
  'settings:update': command(settingsUpdateInput, updateSettings, { roles: ['admin'] }),

  'users:list': query(z.object({ includeInactive: z.boolean().optional() }), users.listUsers),
  'users:get': query(byId, users.getUser),
  'users:create': command(users.userCreateInput, users.createUser, { roles: ['admin'] }),
  'users:update': command(users.userUpdateInput, users.updateUser, { roles: ['admin'] }),

  'accounts:list': query(accounts.accountListInput, accounts.listAccounts),
  'accounts:get': query(byId, accounts.getAccount),
  'accounts:create': command(accounts.accountCreateInput, accounts.createAccount),
  'accounts:update': command(accounts.accountUpdateInput, accounts.updateAccount),
  'accounts:delete': command(byId, accounts.deleteAccount),

  'contacts:list': query(contacts.contactListInput, contacts.listContacts),
  'contacts:get': query(byId, contacts.getContact),
  'contacts:create': command(contacts.contactCreateInput, contacts.createContact),
  'contacts:update': command(contacts.contactUpdateInput, contacts.updateContact),
  'contacts:delete': command(byId, contacts.deleteContact),

  'leads:list': query(leads.leadListInput, leads.listLeads),
  'leads:get': query(byId, leads.getLead),
  'leads:create': command(leads.leadCreateInput, leads.createLead),
  'leads:update': command(leads.leadUpdateInput, leads.updateLead),
  'leads:delete': command(byId, leads.deleteLead),

  'stages:list': query(z.object({ pipeline: z.string().max(30).optional() }), listStages),

  'opportunities:list': query(opportunities.opportunityListInput, opportunities.listOpportunities),
  'opportunities:get': query(byId, opportunities.getOpportunity),
  'opportunities:create': command(opportunities.opportunityCreateInput, opportunities.createOpportunity),
  'opportunities:update': command(opportunities.opportunityUpdateInput, opportunities.updateOpportunity),
  'opportunities:move': command(opportunities.opportunityMoveInput, opportunities.moveOpportunity),
  'opportunities:delete': command(byId, opportunities.deleteOpportunity),

  'activities:list': query(activities.activityListInput, activities.listActivities),
  'activities:get': query(byId, activities.getActivity),
  'activities:create': command(activities.activityCreateInput, activities.createActivity),
  'activities:update': command(activities.activityUpdateInput, activities.updateActivity),
  'activities:complete': command(activities.activityCompleteInput, activities.completeActivity),
  'activities:delete': command(byId, activities.deleteActivity),

  'timeline:get': query(timelineInput, getTimeline),
  'dashboard:summary': query(dashboardInput, getDashboard),

  'jobs:list': query(none, async (_db, ctx) => (ctx.jobs?.list() ?? []) as JobEvent[]),
  'jobs:cancel': query(z.object({ jobId: z.uuid() }).strict(), async (_db, ctx, input) => ({ cancelled: ctx.jobs?.cancel(input.jobId) ?? false })),

  'demo:generate': job(demoInput, generateDemo, { roles: ['admin'] }),
} satisfies Record<string, MethodDef<z.ZodType, unknown>>
