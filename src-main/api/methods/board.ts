// Pipeline board, stage settings, follow-up plans, feedback, my day.
import { z } from 'zod'
import { boardColumnInput, boardInput, getBoard, getBoardColumn } from '../../services/board'
import * as feedback from '../../services/feedback'
import { id } from '../../services/fields'
import * as plans from '../../services/followup-plans'
import { getMyDay, myDayInput } from '../../services/my-day'
import * as stages from '../../services/stages'
import { command, query } from '../define'

const byId = z.object({ id }).strict()

export const boardMethods = {
  'board:get': query(boardInput, getBoard),
  'board:column': query(boardColumnInput, getBoardColumn),

  'pipelines:list': query(z.object({}), stages.listPipelines),
  'pipelines:create': command(stages.pipelineCreateInput, stages.createPipeline, { roles: ['admin', 'manager'] }),
  'pipelines:update': command(stages.pipelineUpdateInput, stages.updatePipeline, { roles: ['admin', 'manager'] }),
  'pipelines:delete': command(stages.pipelineDeleteInput, stages.deletePipeline, { roles: ['admin', 'manager'] }),
  'stages:create': command(stages.stageCreateInput, stages.createStage, { roles: ['admin', 'manager'] }),
  'stages:update': command(stages.stageUpdateInput, stages.updateStage, { roles: ['admin', 'manager'] }),
  'stages:delete': command(byId, stages.deleteStage, { roles: ['admin', 'manager'] }),

  'plans:templates': query(z.object({}), plans.listTemplates),
  'plans:saveTemplate': command(plans.templateSaveInput, plans.saveTemplate, { roles: ['admin', 'manager'] }),
  'plans:deleteTemplate': command(byId, plans.deleteTemplate, { roles: ['admin', 'manager'] }),
  'plans:apply': command(plans.planApplyInput, plans.applyPlan),
  'plans:reschedule': command(plans.planRescheduleInput, plans.reschedulePlan),
  'plans:cancel': command(byId, plans.cancelPlan),
  'plans:list': query(plans.planListInput, plans.listPlans),

  'feedback:list': query(feedback.feedbackListInput, feedback.listFeedback),
  'feedback:create': command(feedback.feedbackCreateInput, feedback.createFeedback),
  'feedback:update': command(feedback.feedbackUpdateInput, feedback.updateFeedback),

  'myday:get': query(myDayInput, getMyDay),
}
