import type { DocumentNode, OperationDefinitionNode, ValidationContext, ValidationRule } from 'graphql';
import { checkDocumentText } from './document-text.js';
import { QueryLimitError } from './error.js';
import { measureOperation, type OperationMeasure } from './measure.js';
import { queryLimits, type QueryLimits } from './query-limits.js';

/** One measure of each operation of the document under validation, shared by the three operation rules. */
const measures = new WeakMap<DocumentNode, Map<OperationDefinitionNode, OperationMeasure>>();

function measured(context: ValidationContext, operation: OperationDefinitionNode): OperationMeasure {
  const document = context.getDocument();
  let byOperation = measures.get(document);
  if (!byOperation) measures.set(document, (byOperation = new Map()));
  let measure = byOperation.get(operation);
  if (!measure) byOperation.set(operation, (measure = measureOperation(context.getSchema(), document, operation)));
  return measure;
}

function operationRule(limit: 'depth' | 'aliases' | 'cost', limits: QueryLimits): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const value = measured(context, operation)[limit];
      if (value > limits[limit]) context.reportError(new QueryLimitError(limit, value, limits[limit], operation));
    },
  });
}

/** Refuses a document with more directives than the limit. */
function directivesRule(limits: QueryLimits): ValidationRule {
  return (context) => {
    let count = 0;
    return {
      Directive() {
        count++;
      },
      Document: {
        leave(document) {
          if (count > limits.directives) {
            context.reportError(new QueryLimitError('directives', count, limits.directives, document));
          }
        },
      },
    };
  };
}

/** Refuses, after parsing, a document over the size limits (for paths that did not check the text first). */
function documentTextRule(limits: QueryLimits): ValidationRule {
  return (context) => ({
    Document(document) {
      const text = document.loc?.source.body;
      const refusal = text === undefined ? undefined : checkDocumentText(text, limits);
      if (refusal) context.reportError(refusal);
    },
  });
}

/**
 * The validation rules of {@link QueryLimits}, to run after graphql's own (`specifiedRules`): they
 * need no variables, so a validated document may be cached. Depth, aliases and cost are measured over
 * the expanded selection of each operation (see {@link measureOperation}).
 * @param limits @default queryLimits
 */
export function queryLimitRules(limits: QueryLimits = queryLimits): ValidationRule[] {
  return [
    documentTextRule(limits),
    directivesRule(limits),
    operationRule('depth', limits),
    operationRule('aliases', limits),
    operationRule('cost', limits),
  ];
}
