// Temporal's errors as the doors show them: a run that cannot take commands is the operator's to mend (503).
import { ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../services/agreements.js';
import { Refusal } from '../../services/errors.js';

const grpc = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details });

describe('refusalOf', () => {
  it('answers an Update refused because the run cannot take commands with 503 agreement_unavailable', () => {
    const err = new ServiceError('Workflow Update failed', {
      cause: grpc(9, 'Unable to perform workflow execution update due to Workflow Task in failed state.'),
    });
    expect(refusalOf(err)).toMatchObject({ statusCode: 503, code: 'agreement_unavailable' });
    expect((refusalOf(err) as Refusal).message).toContain('operator');
  });

  it('leaves other service errors as they are, and a missing run is not running', () => {
    const unavailable = new ServiceError('Workflow Update failed', { cause: grpc(14, 'connection refused') });
    expect(refusalOf(unavailable)).toBe(unavailable);
    expect(refusalOf(new WorkflowNotFoundError('gone', 'agreement-x', undefined))).toMatchObject({
      statusCode: 409,
      code: 'agreement_not_running',
    });
  });
});
