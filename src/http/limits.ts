/** The query limits, one concept a module under limits/; this file keeps the one import path. */
export { checkSource } from './limits/check-source.js';
export { operationCost, type OperationCostOptions } from './limits/cost.js';
export { checkDocumentText } from './limits/document-text.js';
export { QueryLimitError } from './limits/error.js';
export { withLimitCodes } from './limits/limit-codes.js';
export { measureOperation, type OperationMeasure } from './limits/measure.js';
export { limitDefaults, limitsFromEnv, queryLimits, type LimitName, type QueryLimits } from './limits/query-limits.js';
export { refuseLargeDocuments } from './limits/refuse-large-documents.js';
export { queryLimitRules } from './limits/rules.js';
export { validateWithLimits, type ValidateWithLimitsOptions } from './limits/validate.js';
