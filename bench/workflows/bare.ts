// The baseline of the lifecycle benchmark: a bare workflow with the same number of updates, activities and
// child workflows as an agreement going from start to active with three PKS, doing nothing in them.
import {
  condition,
  defineUpdate,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
  ParentClosePolicy,
} from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });
export const step = defineUpdate<number, []>('step');

export async function bareWorkflow(opts: {
  updates: number;
  activities: number;
  children: number;
  childActivities: number;
}): Promise<void> {
  let steps = 0;
  setHandler(step, async () => {
    await noop();
    return ++steps;
  });
  for (let i = 0; i < opts.activities; i++) await noop();
  for (let c = 0; c < opts.children; c++) {
    await startChild(bareWorkflow, {
      workflowId: `${workflowInfo().workflowId}-child-${c}`,
      args: [{ updates: 0, activities: opts.childActivities, children: 0, childActivities: 0 }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  }
  await condition(() => steps >= opts.updates);
}
