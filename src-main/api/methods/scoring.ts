// Scoring models and forms, risks, the 优先级 view and the learned win probability.
import { z } from 'zod'
import { id } from '../../services/fields'
import * as risks from '../../services/risks'
import * as scoring from '../../services/scoring'
import * as winModel from '../../services/win-model'
import { command, job, query } from '../define'

const byId = z.object({ id }).strict()

export const scoringMethods = {
  'scoring:models': query(scoring.scoringModelsInput, scoring.listScoringModels),
  'scoring:saveModel': command(scoring.scoringModelSaveInput, scoring.saveScoringModel, { roles: ['admin', 'manager'] }),
  'scoring:form': query(scoring.scoringFormInput, scoring.getScoringForm),
  'scoring:preview': query(scoring.scoringPreviewInput, scoring.previewScore),
  'scoring:submit': command(scoring.scoringSubmitInput, scoring.submitScore),
  'scoring:history': query(scoring.scoringHistoryInput, scoring.getScoringHistory),
  'scoring:setIndicators': command(scoring.indicatorsInput, scoring.setIndicators),

  'risks:list': query(risks.riskListInput, risks.listRisks),
  'risks:create': command(risks.riskCreateInput, risks.createRisk),
  'risks:update': command(risks.riskUpdateInput, risks.updateRisk),
  'risks:delete': command(byId, risks.deleteRisk),
  'priority:list': query(risks.priorityListInput, risks.listPriority),
  'priority:get': query(risks.priorityGetInput, risks.getPriority),

  'winmodel:retrain': job(winModel.winModelRetrainInput, winModel.retrainWinModel, { roles: ['admin', 'manager'] }),
  'winmodel:status': query(winModel.winModelStatusInput, winModel.getWinModelStatus),
  'winmodel:explain': query(winModel.winModelExplainInput, winModel.explainWinProbability),
}
