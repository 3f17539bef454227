import { boolean, freeForm, named, object, required, string } from '../schema/index.ts';
import { reference } from './reference.ts';

const policyStepProperties = {
  name: string('Display name of the step.'),
  policy: string('Id of the policy plugin the step runs, for example rate-limit or transform-headers.'),
  description: string('What the step is for.'),
  configuration: freeForm('Configuration of the policy, as the policy plugin defines it.'),
  condition: string('Expression Language condition: the step runs only when it evaluates to true.'),
  enabled: required(boolean('Whether the step runs.', { default: true })),
};

/** A policy step of a v2 API flow or of a shared policy group. */
export const policyStep = named('PolicyStep', object('One policy run in a flow.', policyStepProperties));

/** A policy step of a v4 API flow: may use a message condition or a shared policy group instead of a policy. */
export const flowStep = named(
  'FlowStep',
  object('One policy, or shared policy group, run in a phase of a flow.', {
    ...policyStepProperties,
    messageCondition: string('Expression Language condition evaluated on each message (message APIs).'),
    sharedPolicyGroupRef: reference(
      'a SharedPolicyGroup whose steps run here instead of a single policy; its phase must be the phase of this step',
    ),
  }),
);
